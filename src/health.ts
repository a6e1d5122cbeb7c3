/** One dependency's answer to "are you there?", with how long it took. */
export type HealthCheck = { name: string; ok: boolean; latencyMs: number; error: string | null };
/**
 * What a PBX says of itself, beside the probes (pbxStatus has the rest): its calls up, and its channels up, which
 * count a Local call twice.
 */
export type PbxHealth = {
  server: string;
  connected: boolean;
  asteriskVersion: string | null;
  uptimeSec: number | null;
  lastReloadAt: string | null;
  callsUp: number;
  channelsUp: number | null;
};
export type HealthReport = { ok: boolean; checks: HealthCheck[]; uptimeSec: number; pbx?: PbxHealth[] };

export type Probe = { name: string; run: () => Promise<unknown> };

export const PROBE_TIMEOUT_MS = 2000;

/** work's answer, or a rejection once ms have passed without one: a dependency that hangs must not hang its caller. */
export async function withinTime<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function check(probe: Probe): Promise<HealthCheck> {
  const started = performance.now();
  try {
    await withinTime(probe.run(), PROBE_TIMEOUT_MS, probe.name);
    return { name: probe.name, ok: true, latencyMs: performance.now() - started, error: null };
  } catch (error) {
    return { name: probe.name, ok: false, latencyMs: performance.now() - started, error: (error as Error).message };
  }
}

/** Runs every probe at once; healthy only when all answer. */
export async function checkHealth(probes: Probe[]): Promise<HealthReport> {
  const checks = await Promise.all(probes.map(check));
  return { ok: checks.every((c) => c.ok), checks, uptimeSec: process.uptime() };
}
