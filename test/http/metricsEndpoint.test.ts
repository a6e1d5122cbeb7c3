import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { AsteriskManagerConnection } from '../../src/ami/asteriskManager.js';
import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import { changePublisher, createBus } from '../../src/bus/bus.js';
import { startIngest } from '../../src/live/ingest.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { createLogger } from '../../src/logger.js';
import { attemptRow, reportCampaign } from '../reports/fixtures.js';
import { postgresAvailable, useServer } from '../support/fixture.js';

type Scrape = { status: number; contentType: string | null; samples: Map<string, number>; types: Map<string, string> };

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+]+|NaN|[+-]Inf)$/;

/** Reads the exposition strictly: every line a HELP, a TYPE or a sample of a metric whose TYPE came first. */
function parseExposition(text: string): Pick<Scrape, 'samples' | 'types'> {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    const type = /^# TYPE (\S+) (counter|gauge)$/.exec(line);
    if (type) {
      types.set(type[1] as string, type[2] as string);
      continue;
    }
    if (/^# HELP \S+ .+$/.test(line)) continue;
    const sample = SAMPLE.exec(line);
    expect(sample, line).not.toBeNull();
    expect(types.has(sample?.[1] as string), line).toBe(true);
    samples.set(`${sample?.[1]}${sample?.[2] ?? ''}`, Number(sample?.[3]));
  }
  return { samples, types };
}

const log = createLogger('silent');
const credentials = { username: 'metrics', secret: 'metrics-secret' };

describe.skipIf(!postgresAvailable)('GET /metrics (Prometheus text format 0.0.4)', () => {
  const server = useServer();
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function scrape(token: string | null = server.current.tokens.VIEWER): Promise<Scrape> {
    const response = await fetch(new URL('/metrics', server.current.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await response.text();
    if (response.status !== 200) return { status: response.status, contentType: response.headers.get('content-type'), samples: new Map(), types: new Map() };
    return { status: response.status, contentType: response.headers.get('content-type'), ...parseExposition(text) };
  }

  it('needs a bearer token of any role: none or a bad one is 401', async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape('sbt_nope')).status).toBe(401);
    const viewer = await scrape();
    expect(viewer.status).toBe(200);
    expect(viewer.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(Object.fromEntries(viewer.types)).toMatchObject({
      switchboard_ami_events_ingested_total: 'counter',
      switchboard_ami_actions_sent_total: 'counter',
      switchboard_ami_actions_failed_total: 'counter',
      switchboard_originates_total: 'counter',
      switchboard_dialings_adopted_total: 'counter',
      switchboard_unhandled_rejections_total: 'counter',
      switchboard_subscription_clients: 'gauge',
      switchboard_live_dialings: 'gauge',
    });
  });

  it('counts AMI actions sent and failed, and events ingested, by server', async () => {
    const simulator: Simulator = await startSimulator({ ...credentials, speed: 20 });
    closers.push(() => simulator.close());
    const connection = new AsteriskManagerConnection({ name: 'pbx-metrics', host: simulator.host, port: simulator.port, ...credentials }, { log });
    await connection.start();
    closers.push(() => connection.close());
    const ingest = startIngest({ connection, server: 'pbx-metrics', store: new MemoryLiveStore(), publish: changePublisher(createBus()), log });
    closers.push(() => ingest.stop());
    const series = (name: string) => `${name}{server="pbx-metrics"}`;
    const before = await scrape();
    const at = (scraped: Scrape, name: string) => scraped.samples.get(series(name)) ?? 0;

    await connection.action({ action: 'Ping' });
    await expect(connection.action({ action: 'Hangup', Channel: 'PJSIP/nobody-00000000' })).rejects.toThrow();
    await connection.action({ action: 'Originate', Channel: 'Local/1001@customers', Context: 'dest', Exten: 'echo', Priority: '1', Async: 'true' });
    await vi.waitFor(async () => expect(at(await scrape(), 'switchboard_ami_events_ingested_total')).toBeGreaterThan(at(before, 'switchboard_ami_events_ingested_total') + 3), { timeout: 10_000 });

    const after = await scrape();
    // The ingest's resync lists went out too: at least the three here, exactly one of all of them refused.
    expect(at(after, 'switchboard_ami_actions_sent_total') - at(before, 'switchboard_ami_actions_sent_total')).toBeGreaterThanOrEqual(3);
    expect(at(after, 'switchboard_ami_actions_failed_total') - at(before, 'switchboard_ami_actions_failed_total')).toBe(1);
  });

  it('reads live dialings from the database and counts graphql-ws clients as they connect and leave', async () => {
    const prisma = server.current.database.prisma;
    const setup = await reportCampaign(prisma);
    const member = await prisma.member.create({ data: { dialListId: setup.dialList.id, name: 'live' } });
    const { id } = attemptRow(setup, { outcome: 'ANSWERED', endedSec: 1 });
    await prisma.dialing.create({
      data: { id: id as string, campaignId: setup.campaign.id, memberId: member.id, numberSlot: 1, dialedNumber: '1001', tryCount: 1, server: 'pbx1', runId: setup.run.id, dialString: 'Local/1001@customers', planSnapshot: {}, destinationSnapshot: {} },
    });
    const clients = async () => (await scrape()).samples.get('switchboard_subscription_clients');
    const before = await clients();
    expect((await scrape()).samples.get('switchboard_live_dialings')).toBe(1);

    const client: Client = createClient({ url: server.current.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${server.current.tokens.VIEWER}` }, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
    await new Promise<void>((resolve) => client.on('connected', () => resolve()));
    expect(await clients()).toBe((before ?? 0) + 1);
    // A socket refused in connection_init is never counted.
    const refused: Client = createClient({ url: server.current.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: 'Bearer sbt_nope' }, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
    await new Promise<void>((resolve) => refused.on('closed', () => resolve()));
    expect(await clients()).toBe((before ?? 0) + 1);
    await client.dispose();
    await vi.waitFor(async () => expect(await clients()).toBe(before ?? 0), { timeout: 5_000 });
  });
});
