import { describe, expect, it } from 'vitest';
import { amiTimestamp } from '../../../src/ami/simulator/protocol/timestamps.js';
import type { RawClient } from './rawClient.js';
import { useSimulatorSessions } from './sessions.js';

const sessions = useSimulatorSessions();

const CARRIER = { name: 'carrier', serverUri: 'sip:sip.carrier.example', clientUri: 'sip:5551000@sip.carrier.example', endpoint: 'carrier', outboundAuth: 'carrier-auth' };
const BACKUP = { name: 'backup', serverUri: 'sip:backup.example:5060', clientUri: 'sip:5552000@backup.example' };

const listOf = (client: RawClient, actionId: string) => client.frames.filter((frame) => frame.includes(`\r\nActionID: ${actionId}\r\n`) || frame.startsWith(`Response: Success\r\nActionID: ${actionId}\r\n`));
const registries = (client: RawClient) => client.frames.filter((frame) => frame.startsWith('Event: Registry\r\n'));

async function listed(client: RawClient, actionId: string): Promise<string[]> {
  client.send({ Action: 'PJSIPShowRegistrationsOutbound', ActionID: actionId });
  await client.frame((fields) => fields.get('Event') === 'OutboundRegistrationDetailComplete' && fields.get('ActionID') === actionId);
  return listOf(client, actionId);
}

/** Sends a Ping and waits for its answer: whatever the simulator sent before it has arrived. */
async function caughtUp(client: RawClient, actionId: string): Promise<void> {
  client.send({ Action: 'Ping', ActionID: actionId });
  await client.response(actionId);
}

describe('PJSIP outbound registrations', () => {
  it('lists each registration as res_pjsip_outbound_registration writes it, by name, then counts them', async () => {
    const { simulator, client } = await sessions.loggedInOnClock();
    simulator.pbx.registrations.configure(CARRIER);
    simulator.pbx.registrations.configure(BACKUP, 'Rejected');
    expect(await listed(client, 'regs')).toEqual([
      'Response: Success\r\nActionID: regs\r\nEventList: start\r\nMessage: Following are Events for each Outbound registration\r\n\r\n',
      'Event: OutboundRegistrationDetail\r\nActionID: regs\r\nObjectType: registration\r\nObjectName: backup\r\nMaxRetries: 10\r\n' +
        'ClientUri: sip:5552000@backup.example\r\nSecurityNegotiation: no\r\nAuthRejectionPermanent: true\r\nServerUri: sip:backup.example:5060\r\n' +
        'MaxRandomInitialDelay: 10\r\nSupportPath: false\r\nRetryInterval: 60\r\nContactHeaderParams: \r\nExpiration: 3600\r\nTransport: \r\n' +
        'Line: false\r\nContactUser: \r\nEndpoint: \r\nUserAgent: \r\nForbiddenRetryInterval: 0\r\nOutboundAuth: \r\nOutboundProxy: \r\n' +
        'FatalRetryInterval: 0\r\nSupportOutbound: no\r\nStatus: Rejected\r\nNextReg: 0\r\n\r\n',
      'Event: OutboundRegistrationDetail\r\nActionID: regs\r\nObjectType: registration\r\nObjectName: carrier\r\nMaxRetries: 10\r\n' +
        'ClientUri: sip:5551000@sip.carrier.example\r\nSecurityNegotiation: no\r\nAuthRejectionPermanent: true\r\nServerUri: sip:sip.carrier.example\r\n' +
        'MaxRandomInitialDelay: 10\r\nSupportPath: false\r\nRetryInterval: 60\r\nContactHeaderParams: \r\nExpiration: 3600\r\nTransport: \r\n' +
        'Line: false\r\nContactUser: \r\nEndpoint: carrier\r\nUserAgent: \r\nForbiddenRetryInterval: 0\r\nOutboundAuth: carrier-auth\r\nOutboundProxy: \r\n' +
        'FatalRetryInterval: 0\r\nSupportOutbound: no\r\nStatus: Registered\r\nNextReg: 0\r\n\r\n',
      'Event: OutboundRegistrationDetailComplete\r\nActionID: regs\r\nEventList: Complete\r\nListItems: 2\r\nRegistered: 1\r\nNotRegistered: 1\r\n\r\n',
    ]);
  });

  it('answers an empty list where none is configured', async () => {
    const { client } = await sessions.loggedInOnClock();
    expect((await listed(client, 'none')).slice(1)).toEqual(['Event: OutboundRegistrationDetailComplete\r\nActionID: none\r\nEventList: Complete\r\nListItems: 0\r\nRegistered: 0\r\nNotRegistered: 0\r\n\r\n']);
  });

  it('sends Registry for every answer of its registrar, a refresh that keeps the status included, and lists the status it left', async () => {
    const { simulator, clock, client } = await sessions.loggedInOnClock();
    simulator.pbx.registrations.configure(CARRIER);
    const registry = (status: string) =>
      `Event: Registry\r\nPrivilege: system,all\r\nTimestamp: ${amiTimestamp(clock.now())}\r\nChannelType: PJSIP\r\nUsername: sip:5551000@sip.carrier.example\r\nDomain: sip:sip.carrier.example\r\nStatus: ${status}\r\n\r\n`;

    simulator.pbx.registrations.answer('carrier', 'Rejected');
    const rejected = registry('Rejected');
    expect(await client.frame((fields) => fields.get('Event') === 'Registry')).toBe(rejected);
    expect((await listed(client, 'after-reject')).find((frame) => frame.includes('ObjectName: carrier'))).toContain('\r\nStatus: Rejected\r\nNextReg: 0\r\n');

    clock.advance(60_000);
    simulator.pbx.registrations.answer('carrier', 'Registered');
    simulator.pbx.registrations.answer('carrier', 'Registered');
    await caughtUp(client, 'registered');
    expect(registries(client)).toEqual([rejected, registry('Registered'), registry('Registered')]);
    expect(simulator.pbx.registrations.answer('nowhere', 'Registered')).toBe(false);
  });

  it('unregisters a registered registration taken out (Registry Unregistered), and sends nothing for one that was not', async () => {
    const { simulator, client } = await sessions.loggedInOnClock();
    simulator.pbx.registrations.configure(CARRIER);
    simulator.pbx.registrations.configure(BACKUP, 'Rejected');
    expect(simulator.pbx.registrations.remove('backup')).toBe(true);
    expect(simulator.pbx.registrations.remove('carrier')).toBe(true);
    expect(simulator.pbx.registrations.remove('carrier')).toBe(false);
    await caughtUp(client, 'removed');
    expect(registries(client).map((frame) => /\r\nStatus: (\w+)\r\n/.exec(frame)?.[1])).toEqual(['Unregistered']);
    expect((await listed(client, 'gone')).slice(1)).toEqual(['Event: OutboundRegistrationDetailComplete\r\nActionID: gone\r\nEventList: Complete\r\nListItems: 0\r\nRegistered: 0\r\nNotRegistered: 0\r\n\r\n']);
  });

  it('refuses the list before Login, as every action but Login and Logoff', async () => {
    const { client } = await sessions.open(20);
    client.send({ Action: 'PJSIPShowRegistrationsOutbound', ActionID: 'early' });
    expect(await client.response('early')).toBe('Response: Error\r\nActionID: early\r\nMessage: Permission denied\r\n\r\n');
  });
});
