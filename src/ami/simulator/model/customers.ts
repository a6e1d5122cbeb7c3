import type { ApplicationStart } from './channelEvents.js';
import type { Fields } from '../protocol/wire.js';

/** One dialplan step a customer runs after Answer(). */
export type CustomerStep =
  | { app: 'Wait'; seconds: number }
  /** UserEvent(name,Uniqueid: ${UNIQUEID},...body): the body's keys and values become the event's fields. */
  | { app: 'UserEvent'; name: string; body: Fields };

/** How a number in context `customers` behaves, after pbx-config/extensions.conf of the transcripts. */
export type CustomerBehaviour =
  /** [Ringing(), Wait(ring),] Answer(), the steps, Hangup(16). No ringSeconds: Answer() straight away. */
  | { kind: 'answer'; ringSeconds: number | undefined; steps: readonly CustomerStep[] }
  /** Ringing(), Wait(120): only the originate Timeout ends it. */
  | { kind: 'noAnswer' }
  | { kind: 'busy' }
  | { kind: 'congestion' }
  | { kind: 'unallocated' };

const wait = (seconds: number): CustomerStep => ({ app: 'Wait', seconds });

/** The dialplan's behaviour for `number`, or undefined where there is no such extension. */
export function customerBehaviour(number: string): CustomerBehaviour | undefined {
  if (!/^\d{4}$/.test(number)) return undefined;
  switch (number[0]) {
    case '1':
      return { kind: 'answer', ringSeconds: 1, steps: [wait(4)] };
    case '2':
      return { kind: 'busy' };
    case '3':
      return { kind: 'noAnswer' };
    case '4':
      return { kind: 'congestion' };
    case '5':
      return {
        kind: 'answer',
        ringSeconds: undefined,
        steps: [
          wait(1),
          { app: 'UserEvent', name: 'CALLSTATUS', body: [['V', 'SALE']] },
          { app: 'UserEvent', name: 'ATTRIBUTE', body: [['ivr', '1']] },
          { app: 'UserEvent', name: 'ATTR_APPEND', body: [['ivr', '2']] },
          wait(2),
        ],
      };
    case '6':
      return { kind: 'answer', ringSeconds: 1, steps: [wait(30)] };
    case '7':
      return { kind: 'answer', ringSeconds: undefined, steps: [wait(3)] };
    case '8':
      // Simulated: pbx-config has no 8XXX. These answer as 1XXX do, and AMD (amdVerdict) takes them for machines.
      return { kind: 'answer', ringSeconds: 1, steps: [wait(4)] };
    case '9':
      return { kind: 'unallocated' };
    default:
      return undefined;
  }
}

/**
 * The destinations the simulator runs after answer: `dest,echo`, `dest,park`, `dest,queue-sales`,
 * `dest-agents,queue-helpdesk`, and `phone`, Dial() to a simulated phone (phoneDial.ts), which only an
 * application runs: the dialplan has no extension that dials one.
 */
export type Destination = 'echo' | 'park' | 'queue' | 'helpdesk' | 'phone';

/** A destination the dialplan runs at an extension of its own: every one but a phone, which only an application dials. */
export function assertInDialplan(destination: Destination): asserts destination is Exclude<Destination, 'phone'> {
  if (destination === 'phone') throw new Error('Simulator: Dial() to a phone runs only as an application');
}

/** `context,exten` of the destinations the simulator runs, by what the dialplan calls them. */
export const DESTINATIONS: ReadonlyMap<string, Destination> = new Map([
  ['dest,echo', 'echo'],
  ['dest,park', 'park'],
  ['dest,queue-sales', 'queue'],
  ['dest-agents,queue-helpdesk', 'helpdesk'],
]);

/** What AMD() decides about a customer, and how long its analysis takes. */
export type AmdVerdict = { status: 'HUMAN' | 'MACHINE'; cause: string; afterMs: number };

/**
 * AMD()'s verdict on a customer. Simulated, like the 8XXX customers themselves (pbx-config has neither, and the
 * transcripts have no AMD): 8XXX greet for 1.5 s, long enough to be a machine (LONGGREETING at the default 1500 ms
 * greeting); everyone else is a human, decided at once.
 */
export function amdVerdict(number: string): AmdVerdict {
  if (number.startsWith('8')) return { status: 'MACHINE', cause: 'LONGGREETING-1500-1500', afterMs: 1500 };
  return { status: 'HUMAN', cause: 'HUMAN-1-1', afterMs: 200 };
}

/** `dest,echo`: Answer(), Wait(3), Hangup(). */
export const ECHO = { context: 'dest', exten: 'echo', seconds: 3 } as const;

/** `dest,park`: Park(default), the lot of parking.ts. */
export const PARK = { context: 'dest', exten: 'park', lot: 'default' } as const;

/** `dest,queue-sales`: Queue(sales,,,,60); the members answer and talk 5 s (`agents` context). */
export const QUEUE_SALES = { context: 'dest', exten: 'queue-sales', queue: 'sales', timeoutSeconds: 60, agentTalkSeconds: 5 } as const;

/** `dest-agents,queue-helpdesk`: Queue(helpdesk,,,,60); its members reach logged-in agents through AgentRequest. */
export const QUEUE_HELPDESK = { context: 'dest-agents', exten: 'queue-helpdesk', queue: 'helpdesk', timeoutSeconds: 60, memberTimeoutSeconds: 5, retrySeconds: 1 } as const;

/** What the dialplan's destinations start on ;1 at their priority 1: Park(default), Queue(sales,,,,60), Queue(helpdesk,,,,60). */
export const DIALPLAN_STARTS: Readonly<Record<Exclude<Destination, 'echo' | 'phone'>, ApplicationStart>> = {
  park: { data: PARK.lot, at: PARK },
  queue: { data: `${QUEUE_SALES.queue},,,,${QUEUE_SALES.timeoutSeconds}`, at: QUEUE_SALES },
  helpdesk: { data: `${QUEUE_HELPDESK.queue},,,,${QUEUE_HELPDESK.timeoutSeconds}`, at: QUEUE_HELPDESK },
};

/** Every context of the transcripts' dialplan; a Local channel into any other fails as a missing context. */
export const DIALPLAN_CONTEXTS: ReadonlySet<string> = new Set([
  'customers', 'agents', 'dest', 'parkedcalls', 'parked-timeout', 'agent-login', 'agent-request', 'dest-agents', 'hints',
]);
