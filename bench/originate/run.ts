/**
 * Originate-rate benchmark (`npm run bench:originate -- --members 20000 --max-calls 1000`): the dialer engine,
 * in a child process, dials a PROGRESSIVE campaign capped by its plan alone against the simulated PBX in this
 * process, at speed 1, or against any PBX with `--ami-url` (one running the transcripts' pbx-config dialplan), over a
 * fresh PostgreSQL database. It measures how fast the engine ramps up to the cap, the rate it sustains while calls
 * end and are replaced, the calls up as the PBX counts them, its peak RSS, and checks every member was dialed once
 * and recorded. See bench/README.md.
 */
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { AsteriskManagerConnection } from '../../src/ami/asteriskManager.js';
import { parseAmiUrl } from '../../src/ami/config.js';
import { startSimulator } from '../../src/ami/simulator/index.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/db/open.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { startChild, type BenchChild } from '../shared/child.js';
import { createBenchDatabase, DEFAULT_POSTGRES_URL } from '../shared/postgres.js';
import { machine, whole } from '../shared/report.js';
import { createScaleCampaign, grow } from '../scale/grow.js';
import { amiChannelEvents, countBetween, simulatorChannelEvents, watchCalls, type CallWatch, type ChannelEvents } from './calls.js';
import { withNoDelayServers } from './noDelay.js';
import type { DialerReady, DialerUsage } from './dialer.js';
import { checkRecorded, seedCampaign, type BenchCampaign, type CallShape, type Correctness } from './seed.js';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '20000' },
    /** The plan's maxConcurrentCalls: the live dialings the campaign may have. */
    'max-calls': { type: 'string', default: '1000' },
    /** no-answer (3XXX, each call lasts the hold), answer (1XXX into echo, about 4 s) or mixed (both and 7XXX, about 3 s); see seed.ts. */
    shape: { type: 'string', default: 'no-answer' },
    /** no-answer only: the dial timeout, so how long each call stays up. */
    'hold-seconds': { type: 'string', default: '5' },
    'tick-ms': { type: 'string', default: '100' },
    /** The run fails if the campaign has not stopped by then. */
    'max-seconds': { type: 'string', default: '1200' },
    'postgres-url': { type: 'string', default: DEFAULT_POSTGRES_URL },
    /** The simulator's sockets with TCP_NODELAY (see noDelay.ts): the engine's own cost without Nagle's 40 ms. */
    'pbx-nodelay': { type: 'boolean', default: false },
    /** Members grown first on each of two lists of another, stopped campaign (with two attempts each on one), so the dialer works in a large database. */
    'background-members': { type: 'string', default: '0' },
    /** Write a V8 CPU profile of the dialer child into this folder. */
    'cpu-prof-dir': { type: 'string' },
    /**
     * `ami://user:secret@host:port` of the PBX to dial instead of the simulator: a real Asterisk with the transcripts'
     * pbx-config dialplan (context `customers`, `dest,echo`), or `npm run pbx:sim`. Calls up are counted from its events.
     */
    'ami-url': { type: 'string' },
    /** Routed through this many trunks, each with its share of the cap and the numbers of its last digits (seed.ts); 0: the plan's own dial string. */
    trunks: { type: 'string', default: '0' },
  },
});
const wholeOption = (name: 'members' | 'max-calls' | 'hold-seconds' | 'tick-ms' | 'max-seconds' | 'background-members' | 'trunks', least = 1) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < least) throw new Error(`--${name} must be a whole number, ${least} or more, got ${values[name]}`);
  return value;
};
const members = wholeOption('members');
const maxCalls = wholeOption('max-calls');
const holdSeconds = wholeOption('hold-seconds');
const tickMs = wholeOption('tick-ms');
const maxSeconds = wholeOption('max-seconds');
const backgroundMembers = wholeOption('background-members', 0);
const trunks = wholeOption('trunks', 0);
if (trunks > 10) throw new Error(`--trunks must be 10 or fewer (one last digit each at least), got ${trunks}`);
const shape = values.shape as CallShape;
if (shape !== 'no-answer' && shape !== 'answer' && shape !== 'mixed') throw new Error(`--shape must be no-answer, answer or mixed, got ${values.shape}`);
const credentials = { username: 'bench', secret: 'bench-secret' };
const SAMPLE_MS = 100;
const DATABASE_SAMPLE_MS = 500;
const REPORT_EVERY_MS = 5_000;
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));

type LiveSample = { at: number; live: number };
type DatabaseSample = { at: number; status: string; dialings: number; attempts: number };

/** Calls up (simulator) every 100 ms and the database's view every 500 ms, until the campaign stops. */
async function follow(database: Awaited<ReturnType<typeof openDatabase>>, campaign: BenchCampaign, calls: CallWatch, startedAt: number) {
  const liveSamples: LiveSample[] = [];
  const databaseSamples: DatabaseSample[] = [];
  let nextDatabaseSample = startedAt;
  let nextReport = startedAt + REPORT_EVERY_MS;
  let reportedOriginates = 0;
  for (;;) {
    const now = performance.now();
    liveSamples.push({ at: now, live: calls.live() });
    if (now >= nextDatabaseSample) {
      nextDatabaseSample = now + DATABASE_SAMPLE_MS;
      const [row] = await database.driver.withConnection((connection) =>
        connection.query<{ status: string; dialings: number; attempts: number }>(
          `SELECT (SELECT status::text FROM "Campaign" WHERE id = $1) AS status,
                  (SELECT count(*) FROM "Dialing" WHERE "campaignId" = $1)::int AS dialings,
                  (SELECT count(*) FROM "CallAttempt" WHERE "campaignId" = $1)::int AS attempts`,
          [campaign.campaignId],
        ),
      );
      if (!row) throw new Error('the sampling query returned no row');
      const sample = { at: performance.now(), ...row };
      databaseSamples.push(sample);
      if (sample.status === 'STOPPED' && sample.attempts > 0) break;
    }
    if (now >= nextReport) {
      const originates = calls.originatedAt.length;
      const last = databaseSamples.at(-1);
      console.error(
        `${((now - startedAt) / 1000).toFixed(0)} s: ${whole(originates)} originated (${whole((originates - reportedOriginates) / (REPORT_EVERY_MS / 1000))}/s), ` +
          `${calls.live()} up, ${last?.dialings ?? 0} dialings, ${whole(last?.attempts ?? 0)} recorded`,
      );
      reportedOriginates = originates;
      nextReport += REPORT_EVERY_MS;
    }
    if (now - startedAt > maxSeconds * 1000) throw new Error(`the campaign had not stopped after ${maxSeconds} s`);
    await sleep(SAMPLE_MS);
  }
  return { liveSamples, databaseSamples };
}

/** The recorded attempts at `at`, from the database sample nearest it. */
function attemptsAt(samples: readonly DatabaseSample[], at: number): DatabaseSample {
  let best = samples[0] as DatabaseSample;
  for (const sample of samples) if (Math.abs(sample.at - at) < Math.abs(best.at - at)) best = sample;
  return best;
}

const pbxNoDelay = values['pbx-nodelay'] === true;
const amiUrl = values['ami-url'];
if (amiUrl !== undefined && pbxNoDelay) throw new Error('--pbx-nodelay sets the simulator in this process: not with --ami-url');

/** The PBX the dialer dials and how the bench hears its calls: the simulator here, or the one --ami-url names. */
async function openPbx(): Promise<{ target: { host: string; port: number; username: string; secret: string }; channelEvents: ChannelEvents; description: string; close(): Promise<void> }> {
  if (amiUrl !== undefined) {
    const target = parseAmiUrl(amiUrl);
    const connection = new AsteriskManagerConnection(target, { log: createLogger('warn') });
    await connection.start();
    return { target, channelEvents: amiChannelEvents(connection), description: `the PBX at ${target.host}:${target.port} (--ami-url)`, close: () => connection.close() };
  }
  const startPbx = () => startSimulator({ ...credentials, speed: 1 });
  const simulator = await (pbxNoDelay ? withNoDelayServers(startPbx) : startPbx());
  return {
    target: { host: simulator.host, port: simulator.port, ...credentials },
    channelEvents: simulatorChannelEvents(simulator.pbx),
    description: `simulator at speed 1 in the bench process${pbxNoDelay ? ' with TCP_NODELAY' : ''}`,
    close: () => simulator.close(),
  };
}

const benchDatabase = await createBenchDatabase(values['postgres-url'] as string);
const pbx = await openPbx();
let dialer: BenchChild | undefined;
let usage: DialerUsage;
let ready: DialerReady;
let correctness: Correctness;
let startedAt: number;
let calls: CallWatch;
let samples: Awaited<ReturnType<typeof follow>>;
const dialTimeoutMs = shape === 'answer' ? 30_000 : holdSeconds * 1000;
try {
  const database = await openDatabase({ databaseUrl: benchDatabase.url, dataDir: '' });
  try {
    if (backgroundMembers > 0) {
      const started = performance.now();
      await createScaleCampaign(database, 'STOPPED');
      await grow(database, 1, backgroundMembers);
      console.error(`grew ${whole(backgroundMembers)} background members a list in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    console.error(`seeding ${whole(members)} members on ${benchDatabase.url}`);
    const campaign = await seedCampaign(database, { members, maxConcurrentCalls: maxCalls, shape, dialTimeoutMs, trunks });
    const profile = values['cpu-prof-dir'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof-dir']];
    dialer = startChild(
      script('./dialer.ts'),
      ['--database-url', benchDatabase.url, '--ami-host', pbx.target.host, '--ami-port', String(pbx.target.port), '--username', pbx.target.username, '--secret', pbx.target.secret, '--tick-ms', String(tickMs)],
      { nodeArgs: profile, timeoutMs: (maxSeconds + 120) * 1000 },
    );
    ready = await dialer.nextMessage<DialerReady>();
    calls = watchCalls(pbx.channelEvents, maxCalls);
    console.error(`dialer ready (${ready.rssMb.toFixed(0)} MB); starting the campaign`);
    startedAt = performance.now();
    await setCampaignStatus(database.prisma, campaign.campaignId, 'RUNNING', false, 'bench');
    samples = await follow(database, campaign, calls, startedAt);
    calls.stop();
    dialer.process.stdin?.end();
    usage = await dialer.nextMessage<DialerUsage>();
    await dialer.exited;
    correctness = await checkRecorded(database, campaign);
  } finally {
    await database.close();
  }
} finally {
  if (dialer !== undefined && dialer.process.exitCode === null) dialer.process.kill();
  await pbx.close();
  await benchDatabase.drop();
}

const { originatedAt, endedAt } = calls;
const firstOriginate = originatedAt[0] ?? startedAt;
const lastOriginate = originatedAt.at(-1) ?? startedAt;
const firstEnd = endedAt[0] ?? lastOriginate;
const reachedAt = calls.reachedAt();
// Ramp: from the first originate until the cap is reached, or until calls start ending if it never is.
const rampEnd = Math.min(reachedAt ?? firstEnd, firstEnd);
const rampRate = countBetween(originatedAt, firstOriginate, rampEnd + 0.001) / ((rampEnd - firstOriginate) / 1000);
// Steady state: calls end and are replaced, from the later of the cap and the first end to the last originate.
const steadyFrom = Math.max(reachedAt ?? firstEnd, firstEnd);
const steadySeconds = (lastOriginate - steadyFrom) / 1000;
const steadyOriginates = countBetween(originatedAt, steadyFrom, lastOriginate + 0.001);
const steadyLive = samples.liveSamples.filter((sample) => sample.at >= steadyFrom && sample.at <= lastOriginate).map((sample) => sample.live);
const [recordedFrom, recordedTo] = [attemptsAt(samples.databaseSamples, steadyFrom), attemptsAt(samples.databaseSamples, lastOriginate)];
const recordedRate = (recordedTo.attempts - recordedFrom.attempts) / ((recordedTo.at - recordedFrom.at) / 1000);
const mostDialings = Math.max(...samples.databaseSamples.map((sample) => sample.dialings));
const seconds = (at: number) => ((at - startedAt) / 1000).toFixed(2);
const rate = (value: number) => (Number.isFinite(value) ? whole(value) : 'n/a');
const CALL_TEXT: Record<CallShape, string> = {
  'no-answer': `3XXX (no answer, up ${holdSeconds} s: the dial timeout)`,
  answer: '1XXX (ring 1 s, answered, echo 3 s: about 4 s)',
  mixed: `1XXX, 3XXX and 7XXX in turn (about 4 s, ${holdSeconds} s and about 3 s)`,
};
const callText = CALL_TEXT[shape];

console.log(
  [
    `PROGRESSIVE, plan cap ${whole(maxCalls)}${trunks > 0 ? ` over ${trunks} trunks routed by last digit` : ''}, ${whole(members)} members dialed once each, ${callText} into dest,echo; ` +
      `${pbx.description}, dialer tick ${tickMs} ms` +
      `${backgroundMembers > 0 ? `, ${whole(backgroundMembers)} background members on each of two other lists` : ''}; ${machine()}`,
    '',
    '| cap reached after (s) | ramp originates/s | steady originates/s | steady recorded attempts/s | calls up in steady state (min-mean) | most calls up | most Dialing rows | all originated after (s) | overall originates/s | Originate response p50/p99 (ms) | dialer peak RSS (MB) | dialer CPU (s) | event-loop delay p50/p99/max (ms) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${reachedAt === undefined ? `not reached` : seconds(reachedAt)} | ${rate(rampRate)} | ${steadySeconds > 1 ? rate(steadyOriginates / steadySeconds) : 'n/a'} | ` +
      `${steadySeconds > 1 ? rate(recordedRate) : 'n/a'} | ${steadyLive.length > 0 ? `${Math.min(...steadyLive)}-${whole(steadyLive.reduce((sum, live) => sum + live, 0) / steadyLive.length)}` : 'n/a'} | ` +
      `${calls.mostLive()} | ${mostDialings} | ${seconds(lastOriginate)} | ${rate(originatedAt.length / ((lastOriginate - firstOriginate) / 1000))} | ` +
      `${usage.originateResponseP50Ms.toFixed(1)}/${usage.originateResponseP99Ms.toFixed(1)} | ` +
      `${usage.peakRssMb.toFixed(0)} | ${usage.cpuSeconds.toFixed(1)} | ${usage.loopDelayP50Ms.toFixed(0)}/${usage.loopDelayP99Ms.toFixed(0)}/${usage.loopDelayMaxMs.toFixed(0)} |`,
    '',
    `First originate ${seconds(firstOriginate)} s after the campaign was set RUNNING; first call ended at ${seconds(firstEnd)} s; ` +
      `steady window ${seconds(steadyFrom)}-${seconds(lastOriginate)} s. Dialer RSS when ready ${ready.rssMb.toFixed(0)} MB; ${usage.warnings} warnings logged.`,
    '',
    `Correctness: ${whole(calls.originatedAt.length)} originates reached the PBX, ${whole(correctness.attempts)} attempts recorded for ${whole(correctness.members)} members ` +
      `(${whole(correctness.membersWithAttempts)} members with an attempt, at most ${correctness.mostAttemptsOfOneMember} per member), ` +
      `${correctness.dialingsLeft} Dialing rows left, ${correctness.membersNotDone} members not DONE; outcomes ${JSON.stringify(correctness.outcomes)}; ` +
      `most calls up ${calls.mostLive()} against the cap ${maxCalls}.`,
  ].join('\n'),
);

const problems = [
  correctness.attempts !== members && `${correctness.attempts} attempts for ${members} members`,
  correctness.mostAttemptsOfOneMember > 1 && `a member was dialed ${correctness.mostAttemptsOfOneMember} times`,
  correctness.membersWithAttempts !== members && `${members - correctness.membersWithAttempts} members never recorded`,
  originatedAt.length !== correctness.attempts && `${originatedAt.length} originates but ${correctness.attempts} attempts`,
  correctness.dialingsLeft > 0 && `${correctness.dialingsLeft} Dialing rows left`,
  correctness.membersNotDone > 0 && `${correctness.membersNotDone} members not DONE`,
  calls.mostLive() > maxCalls && `${calls.mostLive()} calls up, over the cap of ${maxCalls}`,
].filter((problem): problem is string => typeof problem === 'string');
if (problems.length > 0) {
  console.error(`FAILED: ${problems.join('; ')}`);
  process.exitCode = 1;
}
