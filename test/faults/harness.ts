import { expect } from 'vitest';
import type { Campaign } from '../../src/generated/prisma/client.js';
import type { Database } from '../../src/db/open.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import type { ServerProcess } from '../support/process.js';
import type { PbxWitness } from '../support/pbxWitness.js';

export const PBX_CREDENTIALS = { username: 'faults', secret: 'faults-secret' };

/** Tries per number in every fault case: a member dialed more often than this was dialed twice by mistake. */
export const MAX_TRIES = 2;

/**
 * A RUNNING campaign over `numbers` (one member each) through `Local/<number>@customers` into the park
 * destination, where an answered call stays for as long as its customer talks (6XXX: 30 s at speed 1).
 */
export async function runningCampaign(prisma: Database['prisma'], numbers: readonly string[]): Promise<Campaign> {
  const plan = await prisma.plan.create({
    data: { name: 'Faults', dialStringTemplate: 'Local/{number}@customers', dialTimeoutMs: 20_000, retryDelaySec: 1, maxRetries: Array(8).fill(MAX_TRIES), maxConcurrentCalls: numbers.length },
  });
  const destination = await prisma.destination.create({ data: { name: 'Park', type: 'EXTENSION', context: 'dest', exten: 'park', priority: '1' } });
  const dialList = await prisma.dialList.create({ data: { name: 'Faults' } });
  for (const number of numbers) {
    await prisma.member.create({ data: { dialListId: dialList.id, name: number, numbers: { create: [{ slot: 1, dialListId: dialList.id, number }] } } });
  }
  const campaign = await prisma.campaign.create({ data: { name: 'Faults', planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
  await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'fault test');
  return campaign;
}

/** Resolves once `count` of the dialer's calls are answered on the PBX. */
export function answeredCalls(witness: PbxWitness, count: number, timeoutMs = 20_000): Promise<unknown> {
  return witness.waitFor(() => [...witness.dialings().values()].filter((dialing) => dialing.answered).length >= count, timeoutMs);
}

/** Waits until nothing is live: no Dialing left, and every call the PBX made for the dialer hung up. */
export async function settled(prisma: Database['prisma'], witness: PbxWitness, timeoutMs = 60_000): Promise<void> {
  await expect
    .poll(async () => (await prisma.dialing.count()) + [...witness.dialings().values()].filter((dialing) => dialing.legs.some((leg) => leg.hangupCause === null)).length, {
      timeout: timeoutMs,
      interval: 250,
    })
    .toBe(0);
}

/**
 * What every fault case must leave true, with the PBX's own event stream as witness: each call it placed for
 * the dialer is recorded exactly once; each it answered is ANSWERED, with the cause it gave the customer's
 * leg when `causesSeen`; no member is over its tries, and none whose call was answered was dialed again.
 */
export async function expectTruth(prisma: Database['prisma'], witness: PbxWitness, options: { causesSeen: boolean }): Promise<void> {
  const attempts = await prisma.callAttempt.findMany({ orderBy: { originatedAt: 'asc' } });
  const dialed = witness.dialings();
  expect(attempts.map((attempt) => attempt.id).sort()).toEqual([...dialed.keys()].sort());
  for (const attempt of attempts) {
    const call = dialed.get(attempt.id);
    if (!call?.answered) continue;
    expect({ id: attempt.id, outcome: attempt.outcome }).toEqual({ id: attempt.id, outcome: 'ANSWERED' });
    if (options.causesSeen) expect({ id: attempt.id, cause: attempt.hangupCause }).toEqual({ id: attempt.id, cause: call.customerCause });
  }
  const numbers = await prisma.memberNumber.findMany();
  for (const number of numbers) expect(number.tryCount).toBeLessThanOrEqual(MAX_TRIES);
  const answeredAt = new Map<string, Date>();
  for (const attempt of attempts) {
    if (attempt.memberId === null) continue;
    const first = answeredAt.get(attempt.memberId);
    expect(first === undefined || attempt.originatedAt < first, `member ${attempt.memberId} dialed again after it answered`).toBe(true);
    if (attempt.outcome === 'ANSWERED' && first === undefined) answeredAt.set(attempt.memberId, attempt.originatedAt);
  }
}

/** Every process still up, and none wrote an uncaught error or unhandled rejection. */
export function expectAlive(processes: readonly ServerProcess[]): void {
  for (const process of processes) {
    expect(process.exited).toBe(false);
    expect(process.stderr.join('\n')).toBe('');
    expect(process.logs.filter((line) => line.includes('unhandled promise rejection'))).toEqual([]);
  }
}
