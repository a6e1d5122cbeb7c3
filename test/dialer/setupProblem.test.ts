import { describe, expect, it, vi } from 'vitest';
import { setupProblem } from '../../src/dialer/setupProblem.js';
import type { TrunkRoute } from '../../src/dialer/routes.js';
import { applicationPolicy, DEFAULT_APPLICATION_POLICY } from '../../src/outbound/applications.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { postgresAvailable } from '../support/fixture.js';
import { campaignOver, holdBecomes, useSimulatedPbx } from './simulatedPbx.js';

const plan = { name: 'Plan', machineMessage: null };
const echo = { name: 'Echo', type: 'EXTENSION' as const, application: null, data: null };
const route = (fields: Partial<TrunkRoute>): TrunkRoute => ({
  trunkId: 't1',
  name: 'Carrier',
  techName: 'PJSIP',
  endpoint: 'carrier',
  dialStringTemplate: null,
  maxChannels: null,
  callerId: null,
  originatesPerSecond: null,
  enabled: true,
  pattern: null,
  ...fields,
});

describe('what in a campaign setup the dialer will not send', () => {
  it('names a refused application, an address or URI in a dial string or endpoint, and a machine message Playback would misread', () => {
    const queueOnly = applicationPolicy(['Queue'], []);
    expect(setupProblem(plan, { name: 'Offer', type: 'APPLICATION', application: 'Playback', data: 'offer' }, [], queueOnly)).toMatch(/^destination "Offer": its application Playback is not allowed here/);
    expect(setupProblem(plan, echo, [route({ dialStringTemplate: 'PJSIP/{number}@10.0.0.7' })], DEFAULT_APPLICATION_POLICY)).toBe('trunk "Carrier": its dial string template must name an endpoint or a context, not an address');
    // A trunk's template replaces only {number}, as it is saved; the plan's own may name {tech} and {trunk}.
    expect(setupProblem(plan, echo, [route({ dialStringTemplate: '{tech}/{number}@carrier' })], DEFAULT_APPLICATION_POLICY)).toMatch(/^trunk "Carrier": its dial string template may use only the \{number\} placeholder/);
    expect(setupProblem(plan, echo, [route({ trunkId: null, name: 'PJSIP', dialStringTemplate: '{tech}/{number}@{trunk}' })], DEFAULT_APPLICATION_POLICY)).toBeNull();
    expect(setupProblem(plan, echo, [route({ trunkId: null, endpoint: '192.168.1.20' })], DEFAULT_APPLICATION_POLICY)).toMatch(/^plan "Plan": its trunkName must be the name of an endpoint/);
    expect(setupProblem({ ...plan, machineMessage: 'offer,skip' }, echo, [], DEFAULT_APPLICATION_POLICY)).toMatch(/^plan "Plan": its machineMessage must name sound files/);
    expect(setupProblem(plan, echo, [route({})], DEFAULT_APPLICATION_POLICY)).toBeNull();
  });
});

describe.skipIf(!postgresAvailable)('a campaign whose setup the dialer will not send', () => {
  const pbx = useSimulatedPbx();

  it('holds (SETUP_INVALID) without leasing a member or spending a try, and dials once its setup is fixed', async () => {
    const { prisma } = pbx.database;
    const campaign = await campaignOver(prisma, ['1001', '1002']);
    // Allowed when it was made; DIALPLAN_APPLICATIONS narrowed since.
    await prisma.destination.update({ where: { id: campaign.destinationId }, data: { type: 'APPLICATION', application: 'Playback', data: 'offer', context: null, exten: null, priority: null } });
    const dialer = pbx.startDialer({ applications: applicationPolicy(['Queue', 'Park'], []) });
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    const hold = await holdBecomes(prisma, campaign.id, 'SETUP_INVALID');
    expect(hold?.detail).toMatch(/^it will not be sent: destination "Echo": its application Playback is not allowed here; allowed: park, queue/);
    await dialer.ticks(5);
    expect(await prisma.callAttempt.count()).toBe(0);
    expect((await prisma.memberNumber.findMany()).map((number) => number.tryCount)).toEqual([0, 0]);

    await prisma.destination.update({ where: { id: campaign.destinationId }, data: { application: 'Park', data: 'default' } });
    await vi.waitFor(async () => expect(await prisma.callAttempt.count()).toBe(2), { timeout: 30_000 });
  }, 40_000);
});
