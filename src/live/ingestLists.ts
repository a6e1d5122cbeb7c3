import type { AmiConnection } from '../ami/connection.js';
import type { AmiMessage } from '../ami/message.js';
import type { Logger } from '../logger.js';
import type { ResyncLists } from './resync.js';

type ListName = Exclude<keyof ResyncLists, 'coreSettings' | 'coreStatus'>;

/** The list actions a resync sends, by the list of ResyncLists each one fills. */
const LIST_ACTIONS: readonly { readonly list: ListName; readonly action: string }[] = [
  { list: 'channels', action: 'CoreShowChannels' },
  { list: 'queueStatus', action: 'QueueStatus' },
  { list: 'queueSummary', action: 'QueueSummary' },
  { list: 'parkedCalls', action: 'ParkedCalls' },
  // Asterisk 22 has no ParkinglotsList action, whatever older documents say.
  { list: 'parkingLots', action: 'Parkinglots' },
  { list: 'agents', action: 'Agents' },
  { list: 'deviceStates', action: 'DeviceStateList' },
  { list: 'extensionStates', action: 'ExtensionStateList' },
  // res_pjsip_outbound_registration's list; a PBX without the module refuses it, and keeps what was known.
  { list: 'registrations', action: 'PJSIPShowRegistrationsOutbound' },
];

const RESPONSE_ACTIONS: readonly { readonly list: 'coreSettings' | 'coreStatus'; readonly action: string }[] = [
  { list: 'coreSettings', action: 'CoreSettings' },
  { list: 'coreStatus', action: 'CoreStatus' },
];

type Fetched = readonly [keyof ResyncLists, readonly AmiMessage[] | AmiMessage] | null;

const failedAction = (log: Logger, action: string) => (error: unknown): Fetched => {
  log.warn({ err: error, action }, 'resync action failed; its entities keep their last known state');
  return null;
};

/** One list's action: its list, or none when the action failed (logged). */
async function fetchOne(connection: AmiConnection, log: Logger, { list, action }: (typeof LIST_ACTIONS)[number]): Promise<Fetched> {
  return connection.listAction({ action }).then((result): Fetched => [list, result.events], failedAction(log, action));
}

/** Asks again for one list only (a reload changed what it holds): the lists to resync with, empty when it failed. */
export async function fetchResyncList(connection: AmiConnection, log: Logger, list: ListName): Promise<ResyncLists> {
  const entry = LIST_ACTIONS.find((candidate) => candidate.list === list);
  const fetched = entry === undefined ? null : await fetchOne(connection, log, entry);
  return fetched === null ? {} : (Object.fromEntries([fetched]) as ResyncLists);
}

/**
 * Sends every resync action at once and gathers their answers. One that fails (a module not loaded, a
 * dropped connection) is logged and left out, so the resync keeps what was known of its entities.
 */
export async function fetchResyncLists(connection: AmiConnection, log: Logger): Promise<ResyncLists> {
  const fetched = await Promise.all([
    ...LIST_ACTIONS.map((entry) => fetchOne(connection, log, entry)),
    ...RESPONSE_ACTIONS.map(({ list, action }) =>
      connection.action({ action }).then((response): Fetched => [list, response], failedAction(log, action)),
    ),
  ]);
  return Object.fromEntries(fetched.filter((entry) => entry !== null)) as ResyncLists;
}
