import { PARK, QUEUE_HELPDESK, QUEUE_SALES, type Destination } from '../model/customers.js';
import { dialledEndpoint } from './phoneDial.js';

/**
 * Originate's `Application` and `Data` as sent: the answered ;1 leg runs that application itself
 * (manager.c fast_originate -> ast_pbx_outgoing_app -> pbx.c pbx_outgoing_exec: pbx_exec, then ast_hangup),
 * never the dialplan.
 */
export type OriginateApplication = { name: string; data: string };

/**
 * Queue() given a timeout shorter than this could time a waiting caller out, which is not simulated: the
 * longest customer (6XXX) leaves the queue 30.5 s after it answers (Answer()'s half second, then Wait(30)).
 */
const QUEUE_TIMEOUT_FLOOR_SECONDS = 31;

const QUEUES: ReadonlyMap<string, Destination> = new Map([
  [QUEUE_SALES.queue, 'queue'],
  [QUEUE_HELPDESK.queue, 'helpdesk'],
]);

/**
 * The destination an application originate runs, or undefined where it is not simulated. Simulated:
 * `Queue` with `sales` or `helpdesk`, no options and no timeout or one of at least 31 s (`sales,,,,60`), and
 * `Park` with `default` or nothing (Asterisk 22's Park takes the lot first; no lot means the default one), and
 * `Dial` to one simulated phone (`PJSIP/2001`, dialledEndpoint).
 * Application names are matched as pbx_findapp does, whatever their case; so are queue names, as app_queue does.
 */
export function applicationDestination(application: OriginateApplication): Destination | undefined {
  const name = application.name.toLowerCase();
  if (name === 'park') return application.data === '' || application.data === PARK.lot ? 'park' : undefined;
  if (name === 'dial') return dialledEndpoint(application.data) === undefined ? undefined : 'phone';
  if (name !== 'queue') return undefined;
  const [queue = '', ...rest] = application.data.split(',');
  const timeout = rest[3] ?? '';
  // Only the timeout (the fifth argument) may be set; options, URL, announcement, AGI, gosub, rule, position not.
  if (rest.some((argument, index) => index !== 3 && argument !== '')) return undefined;
  if (timeout !== '' && !(/^\d+$/.test(timeout) && Number(timeout) >= QUEUE_TIMEOUT_FLOOR_SECONDS)) return undefined;
  return QUEUES.get(queue.toLowerCase());
}

/** `Queue(sales,,,,60)`: how error messages name an application originate. */
export function describeApplication(application: OriginateApplication): string {
  return `${application.name}(${application.data})`;
}
