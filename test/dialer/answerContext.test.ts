import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEvent, parseFrame, type AmiEvent } from '../../src/ami/message.js';
import { ANSWER_CONTEXT, judgedMachine } from '../../src/dialer/answerContext.js';
import { CAMPAIGN_SETUP, campaignRules, type CampaignSetup } from '../../src/dialer/rules.js';
import { newTrack, trackEvent } from '../../src/dialer/tracking.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';

const DIALING = '0193f000-0000-7000-8000-0000000000a1';

/** A UserEvent as Asterisk 22 writes it (see the user-events transcript): the channel's snapshot, then the body. */
function amdEvent(uniqueid: string, status: string, cause: string): AmiEvent {
  const frame = `Event: UserEvent\r\nPrivilege: user,all\r\nChannel: Local/1001@customers-00000001;1\r\nUniqueid: ${uniqueid}\r\nUserEvent: SwitchboardAmd\r\nStatus: ${status}\r\nCause: ${cause}\r\n\r\n`;
  const event = parseFrame(frame);
  if (!isEvent(event)) throw new Error('not an event');
  return event;
}

describe('AMD and recording through the answer context', () => {
  it("takes AMD's verdict from the UserEvent of the dialing's own leg only", () => {
    const track = newTrack(DIALING, `${DIALING};2`);
    expect(trackEvent(track, amdEvent('someone-else', 'MACHINE', 'INITIALSILENCE-2500-2500'), 0).amd).toBeNull();
    expect(trackEvent(track, amdEvent(DIALING, 'MACHINE', 'INITIALSILENCE-2500-2500'), 0).amd).toEqual({ status: 'MACHINE', cause: 'INITIALSILENCE-2500-2500' });
  });

  it('counts NOTSURE as a machine only when the plan does not let it through', () => {
    expect(judgedMachine({ status: 'NOTSURE' }, { amdAllowNotSure: true })).toBe(false);
    expect(judgedMachine({ status: 'NOTSURE' }, { amdAllowNotSure: false })).toBe(true);
    expect(judgedMachine({ status: 'HUMAN' }, { amdAllowNotSure: false })).toBe(false);
    expect(judgedMachine(null, { amdAllowNotSure: false })).toBe(false);
  });

  describe.skipIf(!postgresAvailable)('a plan with AMD and recording', () => {
    let database: TestDatabase;
    let campaign: CampaignSetup;
    beforeAll(async () => {
      database = await createPostgresDatabase();
      const prisma = database.prisma;
      const plan = await prisma.plan.create({ data: { name: 'AMD', dialStringTemplate: 'Local/{number}@customers', amdEnabled: true, recordCalls: true, amdAllowNotSure: false } });
      const destination = await prisma.destination.create({ data: { name: 'Sales', type: 'APPLICATION', application: 'Queue', data: 'sales,,,,60' } });
      const dialList = await prisma.dialList.create({ data: { name: 'List' } });
      const created = await prisma.campaign.create({ data: { name: 'C', planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
      campaign = await prisma.campaign.findUniqueOrThrow({ where: { id: created.id }, include: CAMPAIGN_SETUP });
    });
    afterAll(async () => database?.drop());

    const member = {
      id: '0193f000-0000-7000-8000-0000000000b1',
      name: 'Ana',
      externalKey: null,
      variables: {},
      number: { slot: 1, number: '1001', priority: 0, tryCount: 0 },
      dialList: { id: '0193f000-0000-7000-8000-0000000000c1', name: 'List', variables: {} },
    };

    it('originates into the answer context, carrying the destination and the AMD parameters (commas escaped)', () => {
      const prepared = campaignRules(campaign).prepare('pbx1', 'run', member, { id: DIALING, tryCount: 1 });
      expect(prepared.originate).toMatchObject({
        Context: ANSWER_CONTEXT,
        Exten: 's',
        Priority: '1',
        Variable: expect.objectContaining({
          SB_AMD: '1',
          SB_AMD_PARAMS: '2500\\,1500\\,800\\,5000\\,100\\,50\\,3\\,256\\,5000',
          SB_AMD_ALLOW_NOTSURE: '0',
          SB_RECORD: '1',
          SB_RECORDING_FILE: `switchboard/${campaign.id}/${DIALING}.wav`,
          SB_DEST_APP: 'Queue',
          SB_DEST_DATA: 'sales\\,\\,\\,\\,60',
        }),
      });
    });

    it("sends the plan's machine message, and refuses the call rather than hand Playback one stored past the rules", () => {
      const withMessage = (machineMessage: string, agent?: string) =>
        campaignRules({ ...campaign, plan: { ...campaign.plan, machineMessage } }).prepare('pbx1', 'run', member, { id: DIALING, tryCount: 1 }, { agent });
      expect(withMessage('custom/offer&vm-goodbye').originate).toMatchObject({ Variable: expect.objectContaining({ SB_MACHINE_MESSAGE: 'custom/offer&vm-goodbye' }) });
      // A campaign's call is refused by its setup's check (the tick holds it before that: SETUP_INVALID)...
      const refused = withMessage('custom/offer,skip');
      expect([refused.originate, refused.problem]).toEqual([null, 'Not dialed: plan "AMD": its machineMessage must name sound files under the PBX\'s sounds folder without extension, several joined by "&" (e.g. custom/offer&vm-goodbye): letters, digits, "_", "-" and "/" only']);
      // ...and a preview call, which the setup's check does not see, by the answer context's own.
      const previewed = withMessage('custom/offer,skip', 'PJSIP/2001');
      expect([previewed.originate, previewed.problem]).toEqual([null, expect.stringMatching(/^Not dialed: the plan's machineMessage must name sound files/)]);
    });

    it('records a machine as MACHINE, not retried unless the plan says so, and keeps the recording of an answered call', () => {
      const rules = campaignRules(campaign);
      const answered = { ...newTrack(DIALING, `${DIALING};2`), originate: { success: true, reason: 4 }, answeredAt: 1_000, endedAt: 9_000 };
      const machine = rules.result({ ...answered, amd: { status: 'MACHINE', cause: 'LONGGREETING-1500-1500' } }, 0, false);
      expect(machine).toMatchObject({ outcome: 'MACHINE', amdStatus: 'MACHINE', amdCause: 'LONGGREETING-1500-1500', recordingFile: `switchboard/${campaign.id}/${DIALING}.wav` });
      expect(rules.next(machine, [{ slot: 1, tryCount: 1, stopped: false, type: null }], { slot: 1, tryCount: 1 }, { outcome: machine.outcome, completionCode: null, rules: [] })).toMatchObject({ status: 'DONE' });
      const retrying = campaignRules({ ...campaign, plan: { ...campaign.plan, retryMachine: true } });
      expect(retrying.next(machine, [{ slot: 1, tryCount: 1, stopped: false, type: null }], { slot: 1, tryCount: 1 }, { outcome: machine.outcome, completionCode: null, rules: [] })).toMatchObject({ status: 'IDLE' });
      expect(rules.result({ ...answered, amd: { status: 'HUMAN', cause: 'HUMAN-1-1' } }, 0, false).outcome).not.toBe('MACHINE');
    });
  });
});
