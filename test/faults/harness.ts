import { afterEach, beforeEach, expect } from 'vitest';
import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import type { Campaign } from '../../src/generated/prisma/client.js';
import { openDatabase, type Database } from '../../src/db/open.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { createPostgresDatabase } from '../support/database.js';
import { watchPbx, type PbxWitness } from '../support/pbxWitness.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/privatePostgres.js';
import { startPrivateRedis, type PrivateRedis } from '../support/privateRedis.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';

export const PBX_CREDENTIALS = { username: 'faults', secret: 'faults-secret' };

/** The bootstrap ADMIN token the processes of a fault case are started with, for its GraphQL calls. */
export const ADMIN_TOKEN = 'faults-admin-token-0123456789abcdef';

export type RigOptions = {
  /** How many times faster than real the simulated PBX runs. */
  speed: number;
  /** A database of its own on the shared server, a private cluster the test can stop, or none (the embedded default). */
  postgres: 'database' | 'cluster' | 'none';
  /** A private Redis the test can kill. */
  redis?: boolean;
};

/** What one fault case runs against, made before and taken down after each test. */
export type FaultRig = {
  readonly simulator: Simulator;
  readonly witness: PbxWitness;
  /** The test's own client of the database the processes share (not with postgres: 'none'). */
  readonly database: Database;
  readonly databaseUrl: string;
  readonly postgres: PrivatePostgres;
  readonly redis: PrivateRedis;
  /** The running server processes, stopped after the test; a killed one is taken out by kill(). */
  readonly processes: ServerProcess[];
  start(environment: Record<string, string>): Promise<ServerProcess>;
  kill(process: ServerProcess): Promise<void>;
};

/** For each test of the describe block it is called in: a simulated PBX with its witness, and the services asked for. */
export function useFaultRig(options: RigOptions): FaultRig {
  const processes: ServerProcess[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  let parts: { simulator: Simulator; witness: PbxWitness; database?: Database; databaseUrl?: string; postgres?: PrivatePostgres; redis?: PrivateRedis } | undefined;
  const part = <K extends keyof NonNullable<typeof parts>>(key: K): NonNullable<NonNullable<typeof parts>[K]> => {
    const value = parts?.[key];
    if (value === undefined) throw new Error(`useFaultRig: no ${key} here`);
    return value as NonNullable<NonNullable<typeof parts>[K]>;
  };

  beforeEach(async () => {
    const simulator = await startSimulator({ ...PBX_CREDENTIALS, speed: options.speed });
    closers.push(() => simulator.close());
    const witness = await watchPbx({ host: simulator.host, port: simulator.port, ...PBX_CREDENTIALS });
    closers.push(() => witness.close());
    parts = { simulator, witness };
    if (options.postgres === 'database') {
      const database = await createPostgresDatabase();
      closers.push(() => database.drop());
      Object.assign(parts, { database, databaseUrl: database.url });
    } else if (options.postgres === 'cluster') {
      const postgres = await startPrivatePostgres();
      closers.push(() => postgres.destroy());
      const database = await openDatabase({ databaseUrl: postgres.url, dataDir: '' });
      closers.push(() => database.close());
      Object.assign(parts, { postgres, database, databaseUrl: postgres.url });
    }
    if (options.redis) {
      const redis = await startPrivateRedis();
      closers.push(() => redis.destroy());
      parts.redis = redis;
    }
  });
  afterEach(async () => {
    for (const process of processes.splice(0)) await process.stop();
    for (const close of closers.splice(0).reverse()) await close();
    parts = undefined;
  });

  return {
    get simulator() {
      return part('simulator');
    },
    get witness() {
      return part('witness');
    },
    get database() {
      return part('database');
    },
    get databaseUrl() {
      return part('databaseUrl');
    },
    get postgres() {
      return part('postgres');
    },
    get redis() {
      return part('redis');
    },
    processes,
    async start(environment) {
      const process = await startServerProcess(environment);
      processes.push(process);
      return process;
    },
    async kill(process) {
      await process.kill();
      processes.splice(processes.indexOf(process), 1);
    },
  };
}

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

/** The process logged that it took over at least `followed` calls still up, instead of dialing them again. */
export function expectTakenOver(process: ServerProcess, followed: number): void {
  const takeOvers = process.logs.filter((line) => line.includes('took over dialings')).map((line) => JSON.parse(line) as { followed?: number });
  expect(takeOvers.reduce((sum, entry) => sum + (entry.followed ?? 0), 0)).toBeGreaterThanOrEqual(followed);
}

/** Asks a process's /health, which must answer within 5 s whatever is down, and says whether `check` was healthy. */
export async function healthOf(process: ServerProcess, check: string): Promise<boolean | undefined> {
  const started = Date.now();
  const report = (await (await fetch(process.url.replace('/graphql', '/health'))).json()) as { checks: { name: string; ok: boolean }[] };
  expect(Date.now() - started).toBeLessThan(5_000);
  return report.checks.find((entry) => entry.name === check)?.ok;
}
