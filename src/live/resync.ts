import { isEvent, type AmiEvent, type AmiMessage } from '../ami/message.js';
import { carryAgent } from './agents.js';
import { carryBridge } from './bridges.js';
import { carryCall } from './calls.js';
import { carryChannel } from './channels.js';
import { carryParkedCall } from './parking.js';
import { applyCoreSettings, applyCoreStatus } from './pbx.js';
import { applyEvent } from './reducer.js';
import { carryQueue, carryQueueCaller } from './queues.js';
import { carryRegistration } from './registrations.js';
import {
  ENTITY_NAMES,
  type Change,
  type Entities,
  type EntityName,
  type LiveState,
  type Reduction,
} from './state.js';
import { Table } from './table.js';
import { Tx, sameValue } from './tx.js';

/**
 * What the resync actions returned, each list as the messages the connection collected (its items; the
 * response and the ...Complete event are ignored). A list left out (its action failed or was not sent)
 * keeps what the state knew; a list given, even empty, replaces its entities.
 */
export type ResyncLists = {
  /** CoreShowChannels: CoreShowChannel items. Replaces channels, calls and bridges. */
  readonly channels?: readonly AmiMessage[];
  /** QueueStatus: QueueParams, QueueMember and QueueEntry items. Replaces queues, members and callers. */
  readonly queueStatus?: readonly AmiMessage[];
  /** QueueSummary: QueueSummary items. Replaces queues. */
  readonly queueSummary?: readonly AmiMessage[];
  /** ParkedCalls: ParkedCall items. */
  readonly parkedCalls?: readonly AmiMessage[];
  /** Parkinglots (Asterisk 22 knows no ParkinglotsList action): Parkinglot items. */
  readonly parkingLots?: readonly AmiMessage[];
  /** Agents: Agents items. */
  readonly agents?: readonly AmiMessage[];
  /** DeviceStateList: DeviceStateChange items. */
  readonly deviceStates?: readonly AmiMessage[];
  /** ExtensionStateList: ExtensionStatus items. */
  readonly extensionStates?: readonly AmiMessage[];
  /** PJSIPShowRegistrationsOutbound: OutboundRegistrationDetail items (the AuthDetail items between them are passed by). */
  readonly registrations?: readonly AmiMessage[];
  /** The CoreSettings response. */
  readonly coreSettings?: AmiMessage;
  /** The CoreStatus response. */
  readonly coreStatus?: AmiMessage;
};

type ListName = Exclude<keyof ResyncLists, 'coreSettings' | 'coreStatus'>;

/** Each list, in the order applied (devices before agents, whose device state they carry), with its item names and what it replaces. */
const LISTS: readonly { list: ListName; items: readonly string[]; replaces: readonly EntityName[] }[] = [
  { list: 'deviceStates', items: ['DeviceStateChange'], replaces: ['device'] },
  { list: 'extensionStates', items: ['ExtensionStatus'], replaces: ['extension'] },
  { list: 'channels', items: ['CoreShowChannel'], replaces: ['channel', 'call', 'bridge'] },
  { list: 'queueStatus', items: ['QueueParams', 'QueueMember', 'QueueEntry'], replaces: ['queue', 'queueMember', 'queueCaller'] },
  { list: 'queueSummary', items: ['QueueSummary'], replaces: ['queue'] },
  { list: 'parkingLots', items: ['Parkinglot'], replaces: ['parkingLot'] },
  { list: 'parkedCalls', items: ['ParkedCall'], replaces: ['parkedCall'] },
  { list: 'agents', items: ['Agents'], replaces: ['agent'] },
  { list: 'registrations', items: ['OutboundRegistrationDetail'], replaces: ['registration'] },
];

/** What an old object passes on to its fresh self; `resynced` is the state the lists built, before any carry. */
type Carry<E extends EntityName> = (old: Entities[E], fresh: Entities[E], resynced: LiveState) => Entities[E];

/** What a fresh object keeps from the old one: what only events said exactly (times, bridge types, queue calls). */
const CARRY: { readonly [E in EntityName]?: Carry<E> } = {
  channel: carryChannel,
  call: carryCall,
  bridge: carryBridge,
  queue: carryQueue,
  queueCaller: carryQueueCaller,
  parkedCall: carryParkedCall,
  agent: carryAgent,
  registration: carryRegistration,
};

function carried<E extends EntityName>(entity: E, old: Table<Entities[E]>, fresh: Table<Entities[E]>, resynced: LiveState): Table<Entities[E]> {
  const carry = CARRY[entity] as Carry<E> | undefined;
  if (carry === undefined || old === fresh) return fresh;
  let table = fresh;
  for (const [key, value] of fresh) {
    const previous = old.get(key);
    if (previous !== undefined) table = table.set(key, carry(previous, value, resynced));
  }
  return table;
}

function diff<E extends EntityName>(entity: E, old: Table<Entities[E]>, fresh: Table<Entities[E]>, changes: Change[]): void {
  for (const [key, value] of old) {
    if (!fresh.has(key)) changes.push({ kind: 'REMOVED', entity, key, value } as Change);
  }
  for (const [key, value] of fresh) {
    const previous = old.get(key);
    if (previous === undefined) changes.push({ kind: 'CREATED', entity, key, value } as Change);
    else if (!sameValue(previous, value)) changes.push({ kind: 'UPDATED', entity, key, value } as Change);
  }
}

/**
 * A fresh state for server from the resync lists, and its difference from old: REMOVED for everything the
 * lists no longer show, so nothing stale survives a reconnect. now (epoch ms) dates list items, which carry
 * durations instead of times; objects already known keep the exact times their events gave.
 */
export function resync(old: LiveState, lists: ResyncLists, server: string, now: number): Reduction {
  const replaced = new Set<EntityName>(LISTS.filter(({ list }) => lists[list] !== undefined).flatMap(({ replaces }) => replaces));
  const start = Object.fromEntries(
    ENTITY_NAMES.map((entity) => [entity, replaced.has(entity) ? Table.empty() : old[entity]]),
  ) as LiveState;

  const tx = new Tx(start, server, now);
  for (const { list, items } of LISTS) {
    for (const message of lists[list] ?? []) {
      if (isEvent(message) && items.includes(message.event)) applyEvent(tx, message as AmiEvent);
    }
  }
  if (lists.coreSettings !== undefined) applyCoreSettings(tx, lists.coreSettings);
  if (lists.coreStatus !== undefined) applyCoreStatus(tx, lists.coreStatus);
  const built = tx.finish().state;

  const tables = {} as Record<EntityName, Table<Entities[EntityName]>>;
  const changes: Change[] = [];
  for (const entity of ENTITY_NAMES) {
    const fresh = replaced.has(entity) ? carried(entity, old[entity], built[entity], built) : built[entity];
    diff(entity, old[entity], fresh, changes);
    tables[entity] = fresh;
  }
  return changes.length === 0 ? { state: old, changes } : { state: tables as LiveState, changes };
}
