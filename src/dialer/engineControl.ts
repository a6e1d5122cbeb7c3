import type { PrismaClient } from '../generated/prisma/client.js';

/** The one DialerEngine row: its id is always 1. */
const ENGINE_ID = 1;

/** Whether the dialers may place calls, and who said so last (WombatDialer's engine state). */
export type DialerEngineState = {
  running: boolean;
  /** Null until someone started or stopped it. */
  changedBy: string | null;
  changedAt: Date | null;
  /** Dialings still under way: after a stop they end as usual and are recorded. */
  liveDialings: number;
};

/** Whether the dialers may originate now; no row means nobody ever stopped the engine: running. */
export async function dialerEngineRunning(prisma: PrismaClient): Promise<boolean> {
  const row = await prisma.dialerEngine.findUnique({ where: { id: ENGINE_ID }, select: { running: true } });
  return row?.running ?? true;
}

export async function readDialerEngine(prisma: PrismaClient): Promise<DialerEngineState> {
  const [row, liveDialings] = await Promise.all([prisma.dialerEngine.findUnique({ where: { id: ENGINE_ID } }), prisma.dialing.count()]);
  return { running: row?.running ?? true, changedBy: row?.changedBy ?? null, changedAt: row?.changedAt ?? null, liveDialings };
}

/**
 * Starts or stops every dialer process at their next tick. A stop is graceful: no campaign places a new
 * call, live ones end and are recorded as usual. Asking for the state it is in changes nothing.
 */
export async function setDialerEngineRunning(prisma: PrismaClient, running: boolean, by: string): Promise<DialerEngineState> {
  if ((await dialerEngineRunning(prisma)) !== running) {
    await prisma.dialerEngine.upsert({
      where: { id: ENGINE_ID },
      create: { id: ENGINE_ID, running, changedBy: by, changedAt: new Date() },
      update: { running, changedBy: by, changedAt: new Date() },
    });
  }
  return readDialerEngine(prisma);
}
