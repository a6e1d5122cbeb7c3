/** What run.ts hears from the API server child it starts (server.ts, or bareServer.ts), and how the child measures it. */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export type ServerReady = { wsUrl: string; token: string; cpuSeconds: number };
/** `eventLoopDelayP99Ms`: how late the API's event loop ran its timers, over the whole stream (perf_hooks' histogram). */
export type ServerUsage = { cpuSeconds: number; peakRssMb: number; eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number };

export function cpuSeconds(): number {
  const { userCPUTime, systemCPUTime } = process.resourceUsage();
  return (userCPUTime + systemCPUTime) / 1e6;
}

/** Prints `ready` as one JSON line, then measures until stdin ends (run.ts closes it once the stream is out). */
export async function serveUntilStdinEnds(ready: ServerReady): Promise<ServerUsage> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  console.log(JSON.stringify(ready));
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  delay.disable();
  return {
    cpuSeconds: cpuSeconds(),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    eventLoopDelayP99Ms: delay.percentile(99) / 1e6,
    eventLoopDelayMaxMs: delay.max / 1e6,
  };
}
