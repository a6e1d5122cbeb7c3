import { encodeGlobalID } from '@pothos/plugin-relay';
import { WebhookDeliveryStatus } from '../generated/prisma/enums.js';
import type { Prisma } from '../generated/prisma/client.js';
import { createWebhook, deleteWebhook, updateWebhook, type WebhookWithSecret } from '../webhooks/webhooks.js';
import { builder } from './builder.js';
import { NEWEST_FIRST } from './filters.js';
import { localId } from './ids.js';
import { EDIT_ERRORS } from './errorSets.js';
import { connectionOf } from './connections.js';

const WebhookDeliveryStatusEnum = builder.enumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'PENDING until a receiver answers 2xx (retried with backoff meanwhile), then DELIVERED.',
});

const WebhookRef = builder.prismaNode('Webhook', {
  nullable: true,
  description: 'A campaign\'s HTTP notification: a signed JSON POST for each finished attempt. Its secret is shown once, never read back.',
  id: { field: 'id' },
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    campaign: t.relation('campaign'),
    url: t.exposeString('url', { authScopes: { role: 'SUPERVISOR' } }),
    enabled: t.exposeBoolean('enabled', { description: 'While false, no new notification is written and pending ones wait.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.prismaNode('WebhookDelivery', {
  nullable: true,
  description: 'One notification in the outbox; its id is the Idempotency-Key header the receiver gets.',
  id: { field: 'id' },
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    webhook: t.relation('webhook'),
    attempt: t.relation('attempt'),
    status: t.expose('status', { type: WebhookDeliveryStatusEnum }),
    tries: t.exposeInt('tries', { description: 'Requests made so far.' }),
    nextTryAt: t.expose('nextTryAt', { type: 'DateTime', description: 'When a pending one is sent (again).' }),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true, description: 'The receiver\'s last HTTP status; null when it could not be reached.' }),
    lastError: t.exposeString('lastError', { nullable: true }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    payload: t.expose('payload', { type: 'JSON', description: 'The JSON body sent.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const IssuedWebhookRef = builder.objectRef<WebhookWithSecret>('IssuedWebhook').implement({
  fields: (t) => ({
    webhook: t.field({ type: WebhookRef, nullable: false, resolve: (result) => result.webhook }),
    secret: t.exposeString('secret', {
      nullable: true,
      description: 'The signing secret, only when just created or rotated: store it now, it cannot be read again.',
    }),
  }),
});

builder.prismaObjectField('Campaign', 'webhooks', (t) =>
  t.relation('webhooks', { authScopes: { role: 'VIEWER' }, query: { orderBy: { id: 'asc' } } }),
);

const WebhookDeliveryFilter = builder.inputType('WebhookDeliveryFilter', {
  fields: (t) => ({
    webhookId: t.id({ required: false, description: "Only this webhook's notifications." }),
    status: t.field({ type: WebhookDeliveryStatusEnum, required: false }),
  }),
});

function deliveriesWhere(filter: typeof WebhookDeliveryFilter.$inferInput | null | undefined): Prisma.WebhookDeliveryWhereInput {
  return {
    ...(filter?.webhookId ? { webhookId: localId(filter.webhookId, 'Webhook', 'webhookId') } : {}),
    ...(filter?.status ? { status: filter.status } : {}),
  };
}

builder.queryField('webhookDeliveries', (t) =>
  t.prismaConnection(
    {
      type: 'WebhookDelivery',
      cursor: 'id',
      authScopes: { role: 'VIEWER' },
      description: 'Webhook notifications, newest first.',
      args: { filter: t.arg({ type: WebhookDeliveryFilter }) },
      totalCount: (_connection, args, context) => context.prisma.webhookDelivery.count({ where: deliveriesWhere(args.filter) }),
      resolve: (query, _root, args, context) => context.prisma.webhookDelivery.findMany({ ...query, where: deliveriesWhere(args.filter), orderBy: NEWEST_FIRST }),
    },
    ...connectionOf('WebhookDelivery'),
  ),
);

const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: 'An http:// or https:// address.' }),
    secret: t.string({ description: 'At least 16 characters; generated when left out.' }),
    enabled: t.boolean({ description: 'Default true.' }),
  }),
});

const UpdateWebhookInput = builder.inputType('UpdateWebhookInput', {
  fields: (t) => ({
    url: t.string(),
    enabled: t.boolean(),
    secret: t.string({ description: 'A new secret of your own (write-only).' }),
    rotateSecret: t.boolean({ description: 'Generate a new secret, returned once.' }),
  }),
});

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: IssuedWebhookRef,
    authScopes: { role: 'ADMIN' },
    errors: EDIT_ERRORS,
    description: 'Adds a webhook to a campaign; the secret it signs with is in the answer, and only there.',
    args: { campaignId: t.arg.id({ required: true }), input: t.arg({ type: CreateWebhookInput, required: true }) },
    resolve: (_root, args, context) => createWebhook(context.prisma, localId(args.campaignId, 'Campaign', 'campaignId'), args.input, context.webhookTargets),
  }),
  updateWebhook: t.field({
    type: IssuedWebhookRef,
    authScopes: { role: 'ADMIN' },
    errors: EDIT_ERRORS,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateWebhookInput, required: true }) },
    resolve: (_root, args, context) => updateWebhook(context.prisma, localId(args.id, 'Webhook'), args.input, context.webhookTargets),
  }),
  deleteWebhook: t.field({
    type: 'ID',
    authScopes: { role: 'ADMIN' },
    errors: EDIT_ERRORS,
    description: 'Removes a webhook with its outbox (undelivered notifications are dropped); answers its id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => encodeGlobalID('Webhook', (await deleteWebhook(context.prisma, localId(args.id, 'Webhook'))).id),
  }),
}));
