/** One dependency's answer to "are you there?", with how long it took. */
export type HealthCheck = { name: string; ok: boolean; latencyMs: number; error: string | null };
export type HealthReport = { ok: boolean; checks: HealthCheck[]; uptimeSec: number };

export type Probe = { name: string; run: () => Promise<unknown> };

const PROBE_TIMEOUT_MS = 2000;

async function check(probe: Probe): Promise<HealthCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe.run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { name: probe.name, ok: true, latencyMs: performance.now() - started, error: null };
  } catch (error) {
    return { name: probe.name, ok: false, latencyMs: performance.now() - started, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every probe at once; healthy only when all answer. */
export async function checkHealth(probes: Probe[]): Promise<HealthReport> {
  const checks = await Promise.all(probes.map(check));
  return { ok: checks.every((c) => c.ok), checks, uptimeSec: process.uptime() };
}
