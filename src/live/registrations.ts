import type { AmiEvent } from '../ami/message.js';
import { has, text } from './fields.js';
import type { LiveState, OutboundRegistration, RegistrationStatus } from './state.js';
import type { Tx } from './tx.js';

/**
 * PJSIP outbound registrations (res_pjsip_outbound_registration.c), keyed by their object name: the
 * OutboundRegistrationDetail items of PJSIPShowRegistrationsOutbound, then the Registry events that say how each
 * REGISTER was answered. Registry names no object, only its client and server URIs (its Username and Domain,
 * the very strings the object's client_uri and server_uri configure), so it updates the objects they match.
 */

const STATUSES: ReadonlySet<string> = new Set<RegistrationStatus>(['Registered', 'Unregistered', 'Rejected']);

/** The status as sip_outbound_registration_status_str writes it; null when a list item has none (no state yet). */
function statusOf(event: AmiEvent): RegistrationStatus | null {
  const status = text(event, 'status');
  return STATUSES.has(status) ? (status as RegistrationStatus) : null;
}

export function onOutboundRegistrationDetail(tx: Tx, event: AmiEvent): void {
  const name = text(event, 'objectname');
  const endpoint = text(event, 'endpoint');
  tx.put('registration', name, {
    server: tx.server,
    name,
    endpoint: endpoint === '' ? null : endpoint,
    serverUri: text(event, 'serveruri'),
    clientUri: text(event, 'clienturi'),
    status: has(event, 'status') ? statusOf(event) : null,
    // A list says how it is, not since when: resync carries the moment over while the status holds.
    statusChangedAt: null,
  });
}

/** Whether a registration is the one a Registry event's Username and Domain name. */
const namedBy = (event: AmiEvent) => (registration: OutboundRegistration): boolean =>
  registration.clientUri === text(event, 'username') && registration.serverUri === text(event, 'domain');

/**
 * Registry is sent for every answer to a REGISTER, a refresh that changes nothing included, so only a new status
 * is a change. Other channel types' Registry events (IAX2) name no PJSIP object.
 */
export function onRegistry(tx: Tx, event: AmiEvent): void {
  if (text(event, 'channeltype') !== 'PJSIP') return;
  const status = statusOf(event);
  for (const registration of [...tx.all('registration')].filter(namedBy(event))) {
    if (registration.status !== status) tx.put('registration', registration.name, { ...registration, status, statusChangedAt: tx.at(event) });
  }
}

/**
 * Whether an event says the registrations changed in a way only their list shows: a Reload of every module
 * (`All`) or of a res_pjsip one may add or remove some, and a PJSIP Registry naming none known is one added since.
 */
export function needsRegistrationList(state: LiveState, event: AmiEvent): boolean {
  // By the exact names loader.c and stasis_system.c send: this runs for every event the ingest takes.
  switch (event.event) {
    case 'Reload': {
      const module = text(event, 'module');
      return module === 'All' || module.startsWith('res_pjsip');
    }
    case 'Registry':
      return text(event, 'channeltype') === 'PJSIP' && ![...state.registration.values()].some(namedBy(event));
    default:
      return false;
  }
}

/** A resynced registration keeps the moment its status changed while that status holds. */
export function carryRegistration(old: OutboundRegistration, fresh: OutboundRegistration): OutboundRegistration {
  return old.status === fresh.status ? { ...fresh, statusChangedAt: old.statusChangedAt } : fresh;
}

/**
 * The registration PJSIP ties to an endpoint: the one whose `endpoint` option names it, else the one named as it
 * (the usual pjsip.conf trunk gives its endpoint and registration one name). Sorcery ids are case-sensitive.
 */
export function registrationOfEndpoint(registrations: Iterable<OutboundRegistration>, endpoint: string): OutboundRegistration | null {
  let named: OutboundRegistration | null = null;
  let linked: OutboundRegistration | null = null;
  for (const registration of registrations) {
    if (registration.endpoint === endpoint && (linked === null || registration.name < linked.name)) linked = registration;
    if (registration.name === endpoint) named = registration;
  }
  return linked ?? named;
}
