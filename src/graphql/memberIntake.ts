import { UNKNOWN_REQUESTER } from '../requesters.js';
import { GraphQLError } from 'graphql';
import { findLiveDialList } from '../outbound/dialLists.js';
import { addMembers, importMembers, MemberImportError, type IntakeResult, type RowError } from '../outbound/members/index.js';
import { NOTHING_STARTED, startCampaignsEndedOn, type AutoRunResult, type CampaignStartRefusal } from '../outbound/autoRun.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { builder } from './builder.js';
import { CampaignRef } from './campaigns.js';
import type { Context } from './context.js';
import { ErrorInterface } from './errors.js';
import { localId } from './ids.js';
import { StreamedUpload } from './uploads.js';

/** Most members one addMembers call takes; files of any size go through importMembers. */
export const MAX_MEMBERS_PER_CALL = 10_000;

builder.objectType(MemberImportError, {
  name: 'ImportFormatError',
  description: 'The file as a whole cannot be read (an unknown column, a bad option): nothing was imported. Or, on the embedded database only, the import was cut short while its members were landing (INTERRUPTED).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    code: t.exposeString('code', { description: 'UNKNOWN_COLUMN, DUPLICATE_COLUMN, NO_NUMBER_COLUMN, BAD_HEADER or BAD_OPTION (nothing was written), or INTERRUPTED (embedded database only: it failed while members were landing, and the message says which rows are in).' }),
    subjects: t.exposeStringList('subjects', { description: 'The columns or option the message is about.' }),
  }),
});

const RowErrorRef = builder.objectRef<RowError>('RowError').implement({
  description: 'A row that was not imported, and why. Other rows are not affected.',
  fields: (t) => ({
    row: t.exposeInt('row', { description: '1-based line of the file (the header is line 1), or item of the list.' }),
    field: t.exposeString('field', { nullable: true }),
    message: t.exposeString('message'),
  }),
});

const CampaignStartRefusalRef = builder.objectRef<CampaignStartRefusal>('CampaignStartRefusal').implement({
  description: 'A campaign autoRun would have started, and why it could not: it stays STOPPED until fixed and started.',
  fields: (t) => ({
    campaign: t.field({ type: CampaignRef, nullable: false, resolve: (refusal) => refusal.campaign }),
    field: t.exposeString('field', { nullable: true, description: 'The setting to fix, as setCampaignStatus names it.' }),
    message: t.exposeString('message'),
  }),
});

const IntakeResultRef = builder.objectRef<IntakeResult & AutoRunResult>('MemberIntake').implement({
  description: 'What an intake did: received = created + duplicates + failed; and with autoRun, the campaigns it started.',
  fields: (t) => ({
    received: t.exposeInt('received'),
    created: t.exposeInt('created'),
    duplicates: t.exposeInt('duplicates', { description: 'Skipped by dedupe.' }),
    failed: t.exposeInt('failed'),
    errors: t.field({ type: [RowErrorRef], resolve: (result) => result.errors, description: 'The first row errors (see maxReportedErrors).' }),
    startedCampaigns: t.field({
      type: [CampaignRef],
      nullable: { list: false, items: false },
      resolve: (result) => result.startedCampaigns,
      description: 'Campaigns autoRun started (STARTING now, RUNNING at the dialer\'s next look); empty without autoRun.',
    }),
    startRefusals: t.field({ type: [CampaignStartRefusalRef], resolve: (result) => result.startRefusals, description: 'Campaigns autoRun could not start, and why.' }),
  }),
});

const AUTO_RUN_DESCRIPTION =
  "Once the members are in (at least one created), start each campaign calling this list (its own, or an added list not paused) that is STOPPED because its list ran out, as setCampaignStatus would. One a person or its schedule stopped, or one paused, is left alone; a RUNNING one dials new members anyway.";

/** autoRun's starts after an intake; nothing new created is no reason to start a campaign. */
async function withAutoRun(context: Context, dialListId: string, autoRun: boolean | null | undefined, intake: IntakeResult): Promise<IntakeResult & AutoRunResult> {
  const started = autoRun && intake.created > 0 ? await startCampaignsEndedOn(context.prisma, dialListId, context.viewer?.name ?? UNKNOWN_REQUESTER) : NOTHING_STARTED;
  return { ...intake, ...started };
}

const DedupeEnum = builder.enumType('Dedupe', {
  values: {
    NONE: { description: 'Keep every row; a repeated external key is a row error.' },
    NUMBER: { description: 'Skip a row any of whose numbers is already in the list or earlier in the intake.' },
    EXTERNAL_KEY: { description: 'Skip a row whose external key is already in the list or earlier in the intake.' },
  } as const,
});

const ImportFormatEnum = builder.enumType('ImportFormat', {
  values: {
    AUTO: { description: 'CSV when the first line is a header naming a number column, else UCONTACT.' },
    UCONTACT: { description: 'campaign;number;var=val:var2=val2;alt1:alt2;priority;agentphone (the campaign field is ignored).' },
    CSV: { description: 'A header line naming columns: name, number, number2..number8, externalKey, email, priority, timezone, var_<NAME>, ...' },
  } as const,
});

export const MemberNumberInput = builder.inputType('MemberNumberInput', {
  fields: (t) => ({
    number: t.string({ required: true, description: 'Digits, optionally +, * and #; spaces, dashes, dots and parentheses are dropped.' }),
    type: t.string({ description: 'e.g. mobile, home.' }),
    priority: t.int({ description: 'Higher is tried first.' }),
  }),
});

const MemberInput = builder.inputType('MemberInput', {
  fields: (t) => ({
    name: t.string(),
    detail: t.string(),
    externalKey: t.string({ description: 'Your key for this member, unique in the list.' }),
    email: t.string(),
    variables: t.field({ type: 'Variables' }),
    priority: t.int({ description: 'Higher is dialed first.' }),
    expiresAt: t.field({ type: 'DateTime', description: 'Not dialed after this instant.' }),
    timezone: t.string({ description: 'IANA zone the member is called in.' }),
    agent: t.string({ description: 'The agent this member is for.' }),
    numbers: t.field({ type: [MemberNumberInput], required: true, description: '1 to 8 numbers, in slot order.' }),
  }),
});

const ImportMembersInput = builder.inputType('ImportMembersInput', {
  fields: (t) => ({
    format: t.field({ type: ImportFormatEnum, defaultValue: 'AUTO' }),
    dedupe: t.field({ type: DedupeEnum, defaultValue: 'NONE' }),
    timezone: t.string({ description: 'Zone of members whose row names none (uContact uploadbasewithtimezone).' }),
    maxReportedErrors: t.int({ description: 'How many row errors to list (default 1000); the counts are always complete.' }),
    autoRun: t.boolean({ defaultValue: false, description: AUTO_RUN_DESCRIPTION }),
  }),
});

const NOT_AN_UPLOAD = 'A File is sent as a part of a GraphQL multipart request, with the map naming its variable';

builder.scalarType('File', {
  description: 'A file sent as a part of a GraphQL multipart request, read as it arrives.',
  serialize: () => {
    throw new Error('File is an input type only');
  },
  parseValue: (value) => {
    if (!(value instanceof StreamedUpload)) throw new GraphQLError(NOT_AN_UPLOAD);
    return value;
  },
  parseLiteral: () => {
    throw new GraphQLError(NOT_AN_UPLOAD);
  },
});

builder.mutationFields((t) => ({
  addMembers: t.field({
    type: IntakeResultRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: { types: [ValidationError, NotFoundError, ForbiddenError, MemberImportError] },
    description: `Adds up to ${MAX_MEMBERS_PER_CALL} members to a dial list. A bad member is reported by its position and never stops the good ones. The good ones land as importMembers' do.`,
    args: {
      dialListId: t.arg.id({ required: true }),
      members: t.arg({ type: [MemberInput], required: true }),
      dedupe: t.arg({ type: DedupeEnum, defaultValue: 'NONE' }),
      autoRun: t.arg.boolean({ defaultValue: false, description: AUTO_RUN_DESCRIPTION }),
    },
    resolve: async (_root, args, context) => {
      const dialListId = localId(args.dialListId, 'DialList', 'dialListId');
      if (args.members.length > MAX_MEMBERS_PER_CALL) {
        throw ValidationError.of('members', `at most ${MAX_MEMBERS_PER_CALL} per call; send a file to importMembers for more`);
      }
      await findLiveDialList(context.prisma, dialListId);
      return withAutoRun(context, dialListId, args.autoRun, await addMembers(context.driver, dialListId, args.members, { dedupe: args.dedupe ?? 'NONE' }));
    },
  }),
  importMembers: t.field({
    type: IntakeResultRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: { types: [ValidationError, NotFoundError, ForbiddenError, MemberImportError] },
    description:
      'Imports members from uContact\'s line format or a header CSV, given inline (csv) or as a multipart upload (file), streamed: bad rows are reported and skipped. The whole file is read before any member lands, so a file cut short writes nothing. On PostgreSQL the good rows all land in one transaction or none do; on the embedded database they land in slices of about 10 ms each, so queries and the dialer go on meanwhile, and a failure of the database midway leaves the slices before it (INTERRUPTED).',
    args: {
      dialListId: t.arg.id({ required: true }),
      csv: t.arg.string({ description: 'The file\'s text, for small imports.' }),
      file: t.arg({ type: 'File', description: 'The file, as a multipart upload, for large imports.' }),
      input: t.arg({ type: ImportMembersInput }),
    },
    resolve: async (_root, args, context) => {
      const dialListId = localId(args.dialListId, 'DialList', 'dialListId');
      if ((args.csv === null || args.csv === undefined) === !args.file) {
        throw ValidationError.of('csv', 'give exactly one of csv and file');
      }
      await findLiveDialList(context.prisma, dialListId);
      const source = args.file ? args.file.chunks() : (args.csv ?? '');
      const intake = await importMembers(context.driver, dialListId, source, {
        format: args.input?.format ?? 'AUTO',
        dedupe: args.input?.dedupe ?? 'NONE',
        timezone: args.input?.timezone,
        maxReportedErrors: args.input?.maxReportedErrors ?? undefined,
      });
      return withAutoRun(context, dialListId, args.input?.autoRun, intake);
    },
  }),
}));
