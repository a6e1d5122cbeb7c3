import { randomBytes } from 'node:crypto';
import { orNotFound } from '../db/errors.js';
import { NotFoundError } from '../errors.js';
import type { PrismaClient, Webhook } from '../generated/prisma/client.js';
import { Problems, text } from '../validate.js';
import { hostProblem, type WebhookTargets } from './targets.js';

export type WebhookInput = { url?: string | null; secret?: string | null; enabled?: boolean | null };

/** A webhook with its secret in clear: only when it was just made or rotated, the one time it is shown. */
export type WebhookWithSecret = { webhook: Webhook; secret: string | null };

const SECRET_PREFIX = 'whsec_';
const MIN_SECRET_LENGTH = 16;

function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

async function checkUrl(problems: Problems, value: string | null | undefined, required: boolean, targets: WebhookTargets): Promise<string | undefined> {
  const url = text(problems, 'url', value, { required, max: 2000 });
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    problems.add('url', 'is not a URL: give an absolute http:// or https:// address');
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') problems.add('url', `must be http or https, not ${parsed.protocol.replace(/:$/, '')}`);
  const refused = await hostProblem(targets, parsed.hostname);
  if (refused) problems.add('url', refused);
  return url;
}

function checkSecret(problems: Problems, value: string | null | undefined): string | undefined {
  const secret = text(problems, 'secret', value, { max: 200 });
  if (secret && secret.length < MIN_SECRET_LENGTH) problems.add('secret', `must be at least ${MIN_SECRET_LENGTH} characters; leave it out to have one generated`);
  return secret ?? undefined;
}

export async function createWebhook(prisma: PrismaClient, campaignId: string, input: WebhookInput, targets: WebhookTargets): Promise<WebhookWithSecret> {
  const problems = new Problems();
  const url = await checkUrl(problems, input.url, true, targets);
  const given = checkSecret(problems, input.secret);
  problems.throwIfAny('webhook');
  const campaign = await prisma.campaign.findUnique({ where: { id: campaignId }, select: { inUse: true } });
  if (!campaign || !campaign.inUse) throw new NotFoundError('Campaign', campaignId);
  const secret = given ?? newWebhookSecret();
  const webhook = await prisma.webhook.create({ data: { campaignId, url: url ?? '', secret, enabled: input.enabled ?? true } });
  return { webhook, secret };
}

async function findWebhook(prisma: PrismaClient, id: string): Promise<Webhook> {
  const webhook = await prisma.webhook.findUnique({ where: { id } });
  if (!webhook) throw new NotFoundError('Webhook', id);
  return webhook;
}

/** Changes the URL or switches it on and off; `rotateSecret` replaces the secret, returned this once. */
export async function updateWebhook(
  prisma: PrismaClient,
  id: string,
  input: WebhookInput & { rotateSecret?: boolean | null },
  targets: WebhookTargets,
): Promise<WebhookWithSecret> {
  const problems = new Problems();
  const url = await checkUrl(problems, input.url, false, targets);
  const given = checkSecret(problems, input.secret);
  problems.throwIfAny('webhook');
  await findWebhook(prisma, id);
  const secret = given ?? (input.rotateSecret ? newWebhookSecret() : undefined);
  const webhook = await orNotFound(prisma.webhook.update({ where: { id }, data: { url, secret, enabled: input.enabled ?? undefined } }), 'Webhook', id);
  return { webhook, secret: secret ?? null };
}

/** Removes a webhook and its outbox: what was not delivered yet is not sent. */
export async function deleteWebhook(prisma: PrismaClient, id: string): Promise<Webhook> {
  await findWebhook(prisma, id);
  return orNotFound(prisma.webhook.delete({ where: { id } }), 'Webhook', id);
}
