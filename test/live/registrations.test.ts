import { describe, expect, it } from 'vitest';
import { isEvent, parseFrame, type AmiEvent, type AmiMessage } from '../../src/ami/message.js';
import { reduceEvents } from '../../src/live/reducer.js';
import { needsRegistrationList, registrationOfEndpoint } from '../../src/live/registrations.js';
import { resync } from '../../src/live/resync.js';
import { emptyLiveState, type LiveState, type OutboundRegistration } from '../../src/live/state.js';
import { SERVER } from './replay.js';

/**
 * No transcript has a PJSIP registration (the recording PBX had no SIP): these frames are written as Asterisk 22
 * writes them, OutboundRegistrationDetail by ami_outbound_registration_task (res_pjsip_outbound_registration.c: the
 * sorcery fields in their hash order, then Status and NextReg, then an AuthDetail per outbound auth) and Registry by
 * system_registry_to_ami (main/stasis_system.c: Cause only when there is one, never for PJSIP).
 */
function detail(name: string, fields: { endpoint?: string; serverUri: string; clientUri: string; status?: string }): AmiMessage {
  const status = fields.status === undefined ? [] : [`Status: ${fields.status}`, 'NextReg: 0'];
  return parseFrame(
    [
      'Event: OutboundRegistrationDetail',
      'ActionID: regs',
      'ObjectType: registration',
      `ObjectName: ${name}`,
      'MaxRetries: 10',
      `ClientUri: ${fields.clientUri}`,
      'SecurityNegotiation: no',
      'AuthRejectionPermanent: true',
      `ServerUri: ${fields.serverUri}`,
      'MaxRandomInitialDelay: 10',
      'SupportPath: false',
      'RetryInterval: 60',
      'ContactHeaderParams: ',
      'Expiration: 3600',
      'Transport: ',
      'Line: false',
      'ContactUser: ',
      `Endpoint: ${fields.endpoint ?? ''}`,
      'UserAgent: ',
      'ForbiddenRetryInterval: 0',
      `OutboundAuth: ${name}-auth`,
      'OutboundProxy: ',
      'FatalRetryInterval: 0',
      'SupportOutbound: no',
      ...status,
      '',
      '',
    ].join('\r\n'),
  );
}

const authDetail = (name: string): AmiMessage =>
  parseFrame(`Event: AuthDetail\r\nActionID: regs\r\nObjectType: auth\r\nObjectName: ${name}-auth\r\nUsername: 5551000\r\n\r\n`);

function eventOf(frame: string): AmiEvent {
  const message = parseFrame(frame);
  if (!isEvent(message)) throw new Error('not an event');
  return message;
}

const registry = (clientUri: string, serverUri: string, status: string, timestamp: string, channelType = 'PJSIP'): AmiEvent =>
  eventOf(`Event: Registry\r\nPrivilege: system,all\r\nTimestamp: ${timestamp}\r\nChannelType: ${channelType}\r\nUsername: ${clientUri}\r\nDomain: ${serverUri}\r\nStatus: ${status}\r\n\r\n`);

const CARRIER = { endpoint: 'carrier', serverUri: 'sip:sip.carrier.example', clientUri: 'sip:5551000@sip.carrier.example' };
const BACKUP = { serverUri: 'sip:backup.example:5060', clientUri: 'sip:5552000@backup.example' };
const NOW = 1795294830000;

function listed(lists: readonly AmiMessage[], from: LiveState = emptyLiveState()): LiveState {
  return resync(from, { registrations: lists }, SERVER, NOW).state;
}

describe('outbound registrations (OutboundRegistrationDetail, Registry)', () => {
  const lists = [detail('carrier', { ...CARRIER, status: 'Registered' }), authDetail('carrier'), detail('backup', { ...BACKUP, status: 'Rejected' })];

  it('reads each list item as a registration, passing the AuthDetail items by', () => {
    const state = listed(lists);
    expect([...state.registration.values()].sort((a, b) => a.name.localeCompare(b.name))).toEqual<OutboundRegistration[]>([
      { server: SERVER, name: 'backup', endpoint: null, ...BACKUP, status: 'Rejected', statusChangedAt: null },
      { server: SERVER, name: 'carrier', ...CARRIER, status: 'Registered', statusChangedAt: null },
    ]);
  });

  it('has no status for an item without one (Asterisk holds no state for it yet)', () => {
    expect(listed([detail('new', BACKUP)]).registration.get('new')?.status).toBeNull();
  });

  it('follows Registry by client and server URI: Rejected, then Registered, each dated by its Timestamp', () => {
    const start = listed(lists);
    const rejected = reduceEvents(start, [registry(CARRIER.clientUri, CARRIER.serverUri, 'Rejected', '1795294840.250000')], SERVER);
    expect(rejected.changes).toEqual([
      { kind: 'UPDATED', entity: 'registration', key: 'carrier', value: { ...start.registration.get('carrier'), status: 'Rejected', statusChangedAt: 1795294840250 } },
    ]);
    const registered = reduceEvents(rejected.state, [registry(CARRIER.clientUri, CARRIER.serverUri, 'Registered', '1795294900.000000')], SERVER);
    expect(registered.state.registration.get('carrier')).toMatchObject({ status: 'Registered', statusChangedAt: 1795294900000 });
    expect(registered.state.registration.get('backup')).toBe(start.registration.get('backup'));
  });

  it('changes nothing on a refresh that keeps the status, on URIs no registration has, or on another channel type', () => {
    const start = listed(lists);
    for (const event of [
      registry(CARRIER.clientUri, CARRIER.serverUri, 'Registered', '1795294840.000000'),
      registry('sip:other@sip.carrier.example', CARRIER.serverUri, 'Rejected', '1795294840.000000'),
      registry(CARRIER.clientUri, CARRIER.serverUri, 'Rejected', '1795294840.000000', 'IAX2'),
    ]) {
      expect(reduceEvents(start, [event], SERVER)).toEqual({ state: start, changes: [] });
    }
  });

  it('updates every registration the URIs match: Registry cannot tell them apart', () => {
    const start = listed([detail('one', { ...BACKUP, status: 'Registered' }), detail('two', { ...BACKUP, status: 'Registered' })]);
    const { changes } = reduceEvents(start, [registry(BACKUP.clientUri, BACKUP.serverUri, 'Unregistered', '1795294840.000000')], SERVER);
    expect(changes.map((change) => [change.key, change.kind])).toEqual([
      ['one', 'UPDATED'],
      ['two', 'UPDATED'],
    ]);
  });

  it('drops on resync a registration the list no longer has, and keeps when a held status began', () => {
    const rejected = reduceEvents(listed(lists), [registry(CARRIER.clientUri, CARRIER.serverUri, 'Rejected', '1795294840.000000')], SERVER).state;
    const { state, changes } = resync(rejected, { registrations: [detail('carrier', { ...CARRIER, status: 'Rejected' })] }, SERVER, NOW + 60_000);
    expect(changes.map((change) => `${change.kind} ${change.entity} ${change.key}`)).toEqual(['REMOVED registration backup']);
    expect(state.registration.get('carrier')).toMatchObject({ status: 'Rejected', statusChangedAt: 1795294840000 });
    const registeredMeanwhile = resync(rejected, { registrations: [detail('carrier', { ...CARRIER, status: 'Registered' })] }, SERVER, NOW + 60_000);
    expect(registeredMeanwhile.state.registration.get('carrier')).toMatchObject({ status: 'Registered', statusChangedAt: null });
  });

  it('finds the registration of an endpoint by its endpoint option first, then by its name', () => {
    const state = listed([
      detail('carrier', { ...BACKUP, status: 'Rejected' }),
      detail('carrier-reg', { ...CARRIER, status: 'Registered' }),
      detail('backup', { ...BACKUP, status: 'Registered' }),
    ]);
    const registrations = [...state.registration.values()];
    expect(registrationOfEndpoint(registrations, 'carrier')?.name).toBe('carrier-reg');
    expect(registrationOfEndpoint(registrations, 'backup')?.name).toBe('backup');
    expect(registrationOfEndpoint(registrations, 'Backup')).toBeNull();
    expect(registrationOfEndpoint(registrations, 'elsewhere')).toBeNull();
  });

  it('asks for the list again after a reload of every module or of a res_pjsip one, or a Registry of one not known', () => {
    const state = listed(lists);
    const reload = (module: string) => eventOf(`Event: Reload\r\nPrivilege: system,all\r\nTimestamp: 1795294840.000000\r\nModule: ${module}\r\nStatus: 0\r\n\r\n`);
    expect(['All', 'res_pjsip.so', 'res_pjsip_outbound_registration', 'app_queue.so'].map((module) => needsRegistrationList(state, reload(module)))).toEqual([true, true, true, false]);
    expect(needsRegistrationList(state, registry('sip:new@added.example', 'sip:added.example', 'Registered', '1795294840.000000'))).toBe(true);
    expect(needsRegistrationList(state, registry(CARRIER.clientUri, CARRIER.serverUri, 'Rejected', '1795294840.000000'))).toBe(false);
    expect(needsRegistrationList(state, registry('sip:new@added.example', 'sip:added.example', 'Registered', '1795294840.000000', 'IAX2'))).toBe(false);
  });
});
