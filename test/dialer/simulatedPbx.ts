import { afterEach, beforeEach, expect, vi } from 'vitest';
import { AsteriskManagerConnection } from '../../src/ami/asteriskManager.js';
import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import { createBus } from '../../src/bus/bus.js';
import { startDialer, type Dialer, type DialerOptions } from '../../src/dialer/engine.js';
import type { Campaign, PrismaClient } from '../../src/generated/prisma/client.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { createLogger } from '../../src/logger.js';
import { campaignHold, type CampaignHold } from '../../src/outbound/campaignProgress.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';

export const credentials = { username: 'dialer', secret: 'dialer-secret' };
export const silentLog = createLogger('silent');

export type SimulatedPbx = {
  readonly simulator: Simulator;
  /** This process's AMI connection to the simulator, as PBX server `pbx1`. */
  readonly connection: AsteriskManagerConnection;
  readonly database: TestDatabase;
  /** A dialer over the database and the connection (tick 100 ms), stopped after the test. */
  startDialer(options?: Partial<DialerOptions>): Dialer;
};

/**
 * For each test of the describe block it is called in: the PBX simulator at `speed`, an AMI connection to it
 * and a fresh PostgreSQL database; after it, every dialer started through it is stopped and all is closed.
 */
export function useSimulatedPbx(speed = 20): SimulatedPbx {
  let simulator: Simulator | undefined;
  let connection: AsteriskManagerConnection | undefined;
  let database: TestDatabase | undefined;
  const dialers: Dialer[] = [];
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useSimulatedPbx: used outside a test');
    return value;
  };

  beforeEach(async () => {
    simulator = await startSimulator({ ...credentials, speed });
    connection = new AsteriskManagerConnection({ name: 'pbx1', host: simulator.host, port: simulator.port, ...credentials }, { log: silentLog });
    await connection.start();
    database = await createPostgresDatabase();
  }, 30_000);

  afterEach(async () => {
    for (const dialer of dialers.splice(0)) await dialer.stop();
    await connection?.close();
    await simulator?.close();
    await database?.drop();
  });

  return {
    get simulator() {
      return ready(simulator);
    },
    get connection() {
      return ready(connection);
    },
    get database() {
      return ready(database);
    },
    startDialer(options = {}) {
      const { prisma, driver } = ready(database);
      const dialer = startDialer({ prisma, driver, connections: new Map([['pbx1', ready(connection)]]), store: new MemoryLiveStore(), bus: createBus(), log: silentLog, tickMs: 100, ...options });
      dialers.push(dialer);
      return dialer;
    },
  };
}

/** A STOPPED campaign dialing `numbers` (one member each, named after its number) through `Local/<number>@customers` into `dest,echo`. */
export async function campaignOver(prisma: PrismaClient, numbers: readonly string[], plan: Record<string, unknown> = {}): Promise<Campaign> {
  const created = await prisma.plan.create({
    data: { name: 'Plan', dialStringTemplate: 'Local/{number}@customers', dialTimeoutMs: 20_000, retryDelaySec: 1, maxRetries: [3, 3, 3, 3, 3, 3, 3, 3], maxConcurrentCalls: 3, ...plan },
  });
  const destination = await prisma.destination.create({ data: { name: 'Echo', type: 'EXTENSION', context: 'dest', exten: 'echo', priority: '1' } });
  const dialList = await prisma.dialList.create({ data: { name: 'List' } });
  for (const number of numbers) {
    await prisma.member.create({ data: { dialListId: dialList.id, name: number, numbers: { create: [{ slot: 1, dialListId: dialList.id, number }] } } });
  }
  return prisma.campaign.create({ data: { name: 'Campaign', planId: created.id, destinationId: destination.id, dialListId: dialList.id } });
}

/** The hold the campaign reports once it is `reason` (null: none, it dials), waiting for the ticks that change it. */
export async function holdBecomes(prisma: PrismaClient, campaignId: string, reason: CampaignHold['reason'] | null): Promise<CampaignHold | null> {
  let hold: CampaignHold | null = null;
  await vi.waitFor(
    async () => {
      hold = await campaignHold(prisma, campaignId);
      expect(hold?.reason ?? null).toBe(reason);
    },
    { timeout: 15_000, interval: 50 },
  );
  return hold;
}
