import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { countryCode, normalizedNumber } from '../outbound/members/phoneNumbers.js';
import { csvRecord, type CsvValue } from './csv.js';

/** Rows read from the database at once: memory stays bounded however many attempts a campaign has. */
export const CSV_PAGE_SIZE = 500;

const COLUMNS = {
  id: true,
  runId: true,
  memberId: true,
  dialListId: true,
  server: true,
  numberSlot: true,
  dialedNumber: true,
  tryCount: true,
  outcome: true,
  completionCode: true,
  dialResult: true,
  dialResultText: true,
  hangupCause: true,
  hangupCauseText: true,
  amdStatus: true,
  originatedAt: true,
  answeredAt: true,
  bridgedAt: true,
  endedAt: true,
  channel: true,
  uniqueid: true,
  recordingFile: true,
  rescheduleSec: true,
  variables: true,
  outputs: true,
  createdAt: true,
  member: { select: { name: true, externalKey: true } },
  // The agent's last word on the call.
  dispositions: { select: { level1: true, level2: true, level3: true }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 1 },
} as const satisfies Prisma.CallAttemptSelect;

type AttemptRow = Prisma.CallAttemptGetPayload<{ select: typeof COLUMNS }>;

/** What a row says of its list: its name, and the country its numbers are read in. */
type AttemptList = { name: string; country: string | null };

const HEADER = [
  'attemptId', 'runId', 'memberId', 'memberName', 'externalKey', 'dialListId', 'dialListName', 'server', 'numberSlot', 'dialedNumber', 'normalizedNumber',
  'tryCount', 'outcome', 'completionCode',
  'dialResult', 'dialResultText', 'hangupCause', 'hangupCauseText', 'amdStatus', 'originatedAt', 'answeredAt', 'bridgedAt', 'endedAt',
  'ringSec', 'waitSec', 'talkSec', 'dispositionLevel1', 'dispositionLevel2', 'dispositionLevel3', 'channel', 'uniqueid', 'recordingFile',
  'rescheduleSec', 'variables', 'outputs',
];

const iso = (date: Date | null) => date?.toISOString() ?? null;
const secondsBetween = (from: Date | null, to: Date | null) => (from === null || to === null ? null : (to.getTime() - from.getTime()) / 1000);

/**
 * One attempt as a CSV record; ids are the API's global ids, durations as in the stats. The member's name and
 * external key and the list's name are there to join it back to a CRM (a deleted member's are empty), and the
 * dialed number in E.164 as its list reads numbers (see normalizedNumber), to match it in other systems.
 */
function attemptRecord(row: AttemptRow, lists: ReadonlyMap<string, AttemptList>): string {
  const disposition = row.dispositions[0];
  const list = lists.get(row.dialListId);
  const values: CsvValue[] = [
    encodeGlobalID('CallAttempt', row.id),
    encodeGlobalID('CampaignRun', row.runId),
    row.memberId === null ? null : encodeGlobalID('Member', row.memberId),
    row.member?.name ?? null,
    row.member?.externalKey ?? null,
    encodeGlobalID('DialList', row.dialListId),
    list?.name ?? null,
    row.server,
    row.numberSlot,
    row.dialedNumber,
    normalizedNumber(row.dialedNumber, countryCode(list?.country)),
    row.tryCount,
    row.outcome,
    row.completionCode,
    row.dialResult,
    row.dialResultText,
    row.hangupCause,
    row.hangupCauseText,
    row.amdStatus,
    iso(row.originatedAt),
    iso(row.answeredAt),
    iso(row.bridgedAt),
    iso(row.endedAt),
    secondsBetween(row.originatedAt, row.answeredAt),
    secondsBetween(row.answeredAt, row.bridgedAt),
    secondsBetween(row.bridgedAt ?? row.answeredAt, row.answeredAt === null ? null : row.endedAt),
    disposition?.level1 ?? null,
    disposition?.level2 ?? null,
    disposition?.level3 ?? null,
    row.channel,
    row.uniqueid,
    row.recordingFile,
    row.rescheduleSec,
    JSON.stringify(row.variables),
    JSON.stringify(row.outputs),
  ];
  return csvRecord(values);
}

export type AttemptsCsvScope = { campaignId: string; runId?: string | null; from?: Date | null; to?: Date | null };

/**
 * A campaign's attempts as CSV, in the order they were recorded: the header, then one chunk per page of
 * CSV_PAGE_SIZE rows, each page read after the last (keyset on createdAt, id), so never all in memory.
 */
export async function* attemptsCsv(prisma: PrismaClient, scope: AttemptsCsvScope): AsyncGenerator<string> {
  const where: Prisma.CallAttemptWhereInput = {
    campaignId: scope.campaignId,
    ...(scope.runId ? { runId: scope.runId } : {}),
    ...(scope.from || scope.to ? { endedAt: { ...(scope.from ? { gte: scope.from } : {}), ...(scope.to ? { lt: scope.to } : {}) } } : {}),
  };
  yield csvRecord(HEADER);
  let last: AttemptRow | undefined;
  for (;;) {
    const after: Prisma.CallAttemptWhereInput = last
      ? { OR: [{ createdAt: { gt: last.createdAt } }, { createdAt: last.createdAt, id: { gt: last.id } }] }
      : {};
    const page = await prisma.callAttempt.findMany({
      select: COLUMNS,
      where: { AND: [where, after] },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: CSV_PAGE_SIZE,
    });
    if (page.length > 0) {
      const lists = await prisma.dialList.findMany({ where: { id: { in: [...new Set(page.map((row) => row.dialListId))] } }, select: { id: true, name: true, country: true } });
      const byId = new Map(lists.map((list) => [list.id, list]));
      yield page.map((row) => attemptRecord(row, byId)).join('');
    }
    if (page.length < CSV_PAGE_SIZE) return;
    last = page.at(-1);
  }
}
