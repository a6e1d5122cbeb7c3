import type { EventHost } from './eventHost.js';
import type { Fields } from '../protocol/wire.js';

/** What sip_outbound_registration_status_str tells AMI: stopping and stopped read Unregistered, both rejections Rejected. */
export type RegistrationStatus = 'Registered' | 'Unregistered' | 'Rejected';

/** A `type=registration` object of pjsip.conf: the options a carrier's registration sets; every other one keeps its default. */
export type OutboundRegistrationConfig = {
  readonly name: string;
  readonly serverUri: string;
  readonly clientUri: string;
  /** Its `endpoint` option: none unless given. */
  readonly endpoint?: string;
  /** Its `outbound_auth` option: none unless given (the simulator lists no auth objects, so no AuthDetail follows). */
  readonly outboundAuth?: string;
};

type Registration = { readonly config: OutboundRegistrationConfig; status: RegistrationStatus };

/**
 * The options of one registration as ast_sip_sorcery_object_to_ami writes them: the sorcery fields in the order of
 * their hash buckets (29 buckets of ast_str_hash, as res_pjsip_outbound_registration.c's XML documents them), each
 * with its default but those configured. `type` has no handler and security_mechanisms none when empty: neither shows.
 */
function optionFields({ serverUri, clientUri, endpoint = '', outboundAuth = '' }: OutboundRegistrationConfig): Fields {
  return [
    ['MaxRetries', '10'],
    ['ClientUri', clientUri],
    ['SecurityNegotiation', 'no'],
    ['AuthRejectionPermanent', 'true'],
    ['ServerUri', serverUri],
    ['MaxRandomInitialDelay', '10'],
    ['SupportPath', 'false'],
    ['RetryInterval', '60'],
    ['ContactHeaderParams', ''],
    ['Expiration', '3600'],
    ['Transport', ''],
    ['Line', 'false'],
    ['ContactUser', ''],
    ['Endpoint', endpoint],
    ['UserAgent', ''],
    ['ForbiddenRetryInterval', '0'],
    ['OutboundAuth', outboundAuth],
    ['OutboundProxy', ''],
    ['FatalRetryInterval', '0'],
    ['SupportOutbound', 'no'],
  ];
}

/** res_pjsip_outbound_registration's registrations and how their registrars last answered. */
export class OutboundRegistrations {
  private readonly registrations = new Map<string, Registration>();

  constructor(private readonly pbx: EventHost) {}

  /** Adds (or replaces) a registration already answered with status, sending nothing: what pjsip.conf held at boot. */
  configure(config: OutboundRegistrationConfig, status: RegistrationStatus = 'Registered'): void {
    this.registrations.set(config.name, { config, status });
  }

  /**
   * Takes a registration out, as a reload of pjsip.conf without it: a registered one is unregistered first, and the
   * answer to that sends Registry Unregistered (handle_client_state_destruction). False when there is none.
   */
  remove(name: string): boolean {
    const registration = this.registrations.get(name);
    if (registration === undefined) return false;
    this.registrations.delete(name);
    if (registration.status === 'Registered') this.sendRegistry(registration.config, 'Unregistered');
    return true;
  }

  /**
   * The registrar answered a REGISTER: Registry goes out with the status it leaves, even unchanged, since
   * handle_registration_response publishes one for every answer (a refresh included). False when there is none.
   */
  answer(name: string, status: RegistrationStatus): boolean {
    const registration = this.registrations.get(name);
    if (registration === undefined) return false;
    registration.status = status;
    this.sendRegistry(registration.config, status);
    return true;
  }

  /** Registered and not: what OutboundRegistrationDetailComplete counts. */
  counts(): { registered: number; notRegistered: number } {
    const registered = [...this.registrations.values()].filter((registration) => registration.status === 'Registered').length;
    return { registered, notRegistered: this.registrations.size - registered };
  }

  /**
   * PJSIPShowRegistrationsOutbound's items, by name as sorcery sorts what it retrieves (strcmp): ActionID after the
   * Event line, then ObjectType and ObjectName, the options, Status and NextReg, which is always 0 as Asterisk runs
   * pjsip's client without its own refresh timer (pjsip_regc_register with autoreg false).
   */
  listItems(idFields: Fields): Fields[] {
    return [...this.registrations.values()]
      .sort((a, b) => (a.config.name < b.config.name ? -1 : a.config.name > b.config.name ? 1 : 0))
      .map(({ config, status }) => [
        ['Event', 'OutboundRegistrationDetail'],
        ...idFields,
        ['ObjectType', 'registration'],
        ['ObjectName', config.name],
        ...optionFields(config),
        ['Status', status],
        ['NextReg', '0'],
      ]);
  }

  /** Registry as system_registry_to_ami writes it for PJSIP: Username is the client URI, Domain the server URI, no Cause. */
  private sendRegistry(config: OutboundRegistrationConfig, status: RegistrationStatus): void {
    this.pbx.emit('Registry', 'system,all', [['ChannelType', 'PJSIP'], ['Username', config.clientUri], ['Domain', config.serverUri], ['Status', status]]);
  }
}
