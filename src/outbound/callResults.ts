import { ConflictError, NotFoundError } from '../errors.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { DialingStatus } from '../generated/prisma/enums.js';
import { Problems, text } from '../validate.js';

/**
 * One change to a call's result, as WombatDialer takes them from the dialplan (CALLSTATUS, ATTRIBUTE,
 * ATTR_APPEND, ATTR_CLEAR UserEvents) or over HTTP (extstatus, attr, attrAppend, attrClear).
 */
export type CallResultChange =
  | { kind: 'status'; code: string }
  | { kind: 'attribute'; name: string; value: string }
  | { kind: 'append'; name: string; value: string }
  | { kind: 'clear' };

/** A call's completion code and output attributes (WombatDialer's extStatus and O_* attributes). */
export type CallResult = { completionCode: string | null; outputs: Readonly<Record<string, string>> };

/** The result after one change: the last status wins, an append adds to the value (or creates it), clear empties the outputs. */
export function applyCallResult(result: CallResult, change: CallResultChange): CallResult {
  switch (change.kind) {
    case 'status':
      return { ...result, completionCode: change.code };
    case 'attribute':
      return { ...result, outputs: { ...result.outputs, [change.name]: change.value } };
    case 'append':
      return { ...result, outputs: { ...result.outputs, [change.name]: (result.outputs[change.name] ?? '') + change.value } };
    case 'clear':
      return { ...result, outputs: {} };
  }
}

/** Attribute names as AMI delivers a UserEvent's headers: lower case (both AMI readers lower-case keys). */
export function attributeName(name: string): string {
  return name.trim().toLowerCase();
}

const ATTRIBUTE_NAME = /^[a-z0-9_.-]{1,64}$/;

/** Checks an API change: a code or name and value Asterisk and the stored row can take. */
function checkedChange(change: CallResultChange): CallResultChange {
  const problems = new Problems();
  if (change.kind === 'status') {
    const code = text(problems, 'status', change.code, { required: true, max: 100 });
    problems.throwIfAny('call status');
    return { kind: 'status', code: code as string };
  }
  if (change.kind === 'clear') return change;
  const name = attributeName(change.name);
  if (!ATTRIBUTE_NAME.test(name)) problems.add('name', 'must be 1-64 letters, digits, _ . or -');
  // Checked, but kept as given: spaces may matter in a value that is appended to.
  text(problems, 'value', change.value, { max: 1000 });
  problems.throwIfAny('call attribute');
  return { ...change, name };
}

type ResultTable = 'Dialing' | 'CallAttempt';

/** One change applied in one statement, so changes from the dialplan and the API never overwrite each other. */
function applyOn(prisma: PrismaClient, table: ResultTable, id: string, change: CallResultChange): Prisma.PrismaPromise<number> {
  const touched = table === 'Dialing' ? ', "updatedAt" = now()' : '';
  const update = (set: string, ...values: string[]) =>
    prisma.$executeRawUnsafe(`UPDATE "${table}" SET ${set}${touched} WHERE id = $1::uuid`, id, ...values);
  switch (change.kind) {
    case 'status':
      return update('"completionCode" = $2', change.code);
    case 'attribute':
      return update('outputs = outputs || jsonb_build_object($2::text, $3::text)', change.name, change.value);
    case 'append':
      return update(`outputs = outputs || jsonb_build_object($2::text, COALESCE(outputs ->> $2::text, '') || $3::text)`, change.name, change.value);
    case 'clear':
      return update(`outputs = '{}'::jsonb`);
  }
}

/** The dialer's side: a live dialing's changes, in the order they came; a dialing already recorded is left alone. */
export async function changeLiveDialing(prisma: PrismaClient, dialingId: string, changes: readonly CallResultChange[]): Promise<void> {
  // All or none, so a write tried again after a failure never applies an append twice; counted, so a dialer
  // adopting the call knows which of the dialplan's changes are on the row already.
  await prisma.$transaction([
    ...changes.map((change) => applyOn(prisma, 'Dialing', dialingId, change)),
    prisma.$executeRaw`UPDATE "Dialing" SET "dialplanChanges" = "dialplanChanges" + ${changes.length} WHERE id = ${dialingId}::uuid`,
  ]);
}

export type ChangedCall = { dialingId: string; finished: boolean };

/**
 * The API's side, by dialing id: on the live dialing while it lasts (then its reschedule rules see the
 * result when it ends), else on the attempt it became. A finished call's change fires no reschedule rule,
 * as WombatDialer says of its closed calls.
 */
export async function changeCallResult(prisma: PrismaClient, dialingId: string, change: CallResultChange): Promise<ChangedCall> {
  const checked = checkedChange(change);
  if ((await applyOn(prisma, 'Dialing', dialingId, checked)) > 0) return { dialingId, finished: false };
  // Recorded meanwhile: the recording deletes the Dialing and inserts the attempt in one transaction.
  if ((await applyOn(prisma, 'CallAttempt', dialingId, checked)) > 0) return { dialingId, finished: true };
  throw new NotFoundError('Dialing', dialingId);
}

/** A call's result as it stands, on the live dialing or, once finished, on its attempt. */
export async function callResultOf(prisma: PrismaClient, dialingId: string): Promise<ChangedCall & CallResult> {
  const select = { completionCode: true, outputs: true } as const;
  const live = await prisma.dialing.findUnique({ where: { id: dialingId }, select });
  const row = live ?? (await prisma.callAttempt.findUnique({ where: { id: dialingId }, select }));
  if (!row) throw new NotFoundError('Dialing', dialingId);
  return { dialingId, finished: live === null, completionCode: row.completionCode, outputs: row.outputs as Record<string, string> };
}

/**
 * Marks a live dialing as hung up by hand (so an unanswered one is recorded CANCELLED, no try counted) and
 * says where its channel is. A dialing with no channel yet cannot be hung up.
 */
export async function dialingToHangUp(prisma: PrismaClient, dialingId: string): Promise<{ server: string; channel: string; status: DialingStatus }> {
  const dialing = await prisma.dialing.findUnique({ where: { id: dialingId }, select: { server: true, channel: true, status: true } });
  if (!dialing) throw new NotFoundError('Dialing', dialingId);
  if (dialing.channel === null || dialing.status === 'RESERVED' || dialing.status === 'PENDING') {
    throw new ConflictError(`The dialing is ${dialing.status} and has no channel yet: try again once it rings`);
  }
  await prisma.dialing.update({ where: { id: dialingId }, data: { status: 'HANGUP' } });
  return { server: dialing.server, channel: dialing.channel, status: dialing.status };
}

/** The PBX refused or could not be asked: the dialing goes on as it was. */
export async function hangUpFailed(prisma: PrismaClient, dialingId: string, status: DialingStatus): Promise<void> {
  await prisma.dialing.updateMany({ where: { id: dialingId, status: 'HANGUP' }, data: { status } });
}
