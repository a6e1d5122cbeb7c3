import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../src/db/open.js';
import type { ServerProcess } from '../support/process.js';
import { ADMIN_TOKEN, answeredCalls, expectAlive, expectTakenOver, runningCampaign, useFaultRig } from './harness.js';

type Attempt = { uniqueid: string; dialedNumber: string; outcome: string; hangupCause: number | null };
type Edges<T> = { edges: { node: T }[] };

/** `npm start` as a new user runs it (the embedded database, one process), SIGKILLed with answered calls up. */
describe('the embedded all-in-one server SIGKILLed mid-call', () => {
  const rig = useFaultRig({ speed: 1, postgres: 'none' });

  it('adopts its predecessor’s calls as it starts, follows them to their real end, and records each call once', async () => {
    const { witness } = rig;
    const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-faults-'));
    // After the rig's own clean-up has stopped the server that holds it.
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    // The campaign is written before the server opens the database: only one process can hold it.
    const seeding = await openDatabase({ dataDir });
    await runningCampaign(seeding.prisma, ['6001', '6002', '6003', '1001', '1002']);
    await seeding.close();
    const environment = { DATA_DIR: dataDir, AMI_URL: rig.simulator.url, ADMIN_TOKEN };
    const first = await rig.start(environment);
    const query = async <T>(server: ServerProcess, text: string): Promise<T> => {
      const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify({ query: text }) });
      const body = (await response.json()) as { data: T };
      return body.data;
    };
    const dialings = async (server: ServerProcess) =>
      (await query<{ dialings: Edges<{ uniqueid: string; answeredAt: string | null }> }>(server, '{ dialings(first: 100) { edges { node { uniqueid answeredAt } } } }')).dialings.edges.map(({ node }) => node);

    await answeredCalls(witness, 5);
    await expect.poll(async () => (await dialings(first)).filter((dialing) => dialing.answeredAt !== null).length, { timeout: 10_000 }).toBe(5);
    await rig.kill(first);

    const second = await rig.start(environment);
    await expect
      .poll(async () => (await dialings(second)).length + [...witness.dialings().values()].filter((dialing) => dialing.legs.some((leg) => leg.hangupCause === null)).length, {
        timeout: 60_000,
        interval: 250,
      })
      .toBe(0);

    const { callAttempts } = await query<{ callAttempts: Edges<Attempt> }>(second, '{ callAttempts(first: 100) { edges { node { uniqueid dialedNumber outcome hangupCause } } } }');
    const attempts = callAttempts.edges.map(({ node }) => node);
    const dialed = witness.dialings();
    expect(attempts.map((attempt) => attempt.uniqueid).sort()).toEqual([...dialed.keys()].sort());
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(Array(5).fill('ANSWERED'));
    // The parked calls outlived the crash: the restarted process heard them end, with the customer's own cause.
    for (const attempt of attempts.filter((a) => a.dialedNumber.startsWith('6'))) {
      expect({ number: attempt.dialedNumber, cause: attempt.hangupCause }).toEqual({ number: attempt.dialedNumber, cause: dialed.get(attempt.uniqueid)?.customerCause });
    }
    expectTakenOver(second, 3);
    expectAlive([second]);
  }, 120_000);
});
