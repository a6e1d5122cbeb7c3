import { randomUUID } from 'node:crypto';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_PAGE_SIZE } from '../../src/reports/attemptsCsv.js';
import { postgresAvailable, useServer } from '../support/fixture.js';
import { attemptRow, reportCampaign, type ReportCampaign } from './fixtures.js';

/** RFC 4180 read back: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ',') {
      record.push(field);
      field = '';
    } else if (!quoted && char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      field += char;
    }
  }
  expect(field).toBe('');
  return records;
}

const ROWS = 2_600;

describe.skipIf(!postgresAvailable)('GET /campaigns/<id>/attempts.csv', () => {
  const server = useServer();
  let setup: ReportCampaign;
  let campaignId: string;
  let ids: string[];
  let secondRun: string;

  const get = (path: string, token: string | null = server.current.tokens.VIEWER) =>
    fetch(new URL(path, server.current.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    if (!postgresAvailable) return;
    const prisma = server.current.database.prisma;
    setup = await reportCampaign(prisma);
    campaignId = encodeGlobalID('Campaign', setup.campaign.id);
    secondRun = (await prisma.campaignRun.create({ data: { campaignId: setup.campaign.id, startedBy: 'tester' } })).id;
    const ana = await prisma.member.create({ data: { dialListId: setup.campaign.dialListId, name: 'Ana Silva', externalKey: 'crm-42', numbers: { create: [{ slot: 1, dialListId: setup.campaign.dialListId, number: '1008' }] } } });
    const rows = Array.from({ length: ROWS }, (_, i) => ({
      ...attemptRow(setup, {
        outcome: i % 2 === 0 ? 'ANSWERED' : 'BUSY',
        answeredSec: i % 2 === 0 ? 2 : null,
        bridgedSec: i % 2 === 0 ? 5 : null,
        endedSec: 20,
        dialedNumber: i === 1 ? '+34911222333' : i === 20 ? '911222334' : `${1000 + i}`,
        completionCode: i === 2 ? '=HYPERLINK("http://evil","x")' : i === 4 ? 'said "no", then\r\nhung up' : null,
        runId: i < 100 ? secondRun : setup.run.id,
        originatedAt: new Date(Date.UTC(2026, 10, 20, 10, 0, 0) + i * 1000),
      }),
      // Pages break inside runs of equal createdAt: the keyset must use the id too.
      createdAt: new Date(Date.UTC(2026, 10, 20, 11, 0, Math.floor(i / 7))),
      variables: i === 6 ? { NOTE: '@home, "VIP"' } : {},
      ...(i === 8 ? { memberId: ana.id } : {}),
    }));
    await prisma.callAttempt.createMany({ data: rows });
    await prisma.disposition.create({ data: { campaignId: setup.campaign.id, memberId: ana.id, attemptId: rows[8]?.id, level1: 'Sale', level2: 'Upsell', createdBy: 'agent 2001' } });
    ids = rows
      .sort((a, b) => (a.createdAt as Date).getTime() - (b.createdAt as Date).getTime() || (a.id < b.id ? -1 : 1))
      .map((row) => encodeGlobalID('CallAttempt', row.id));
  });

  it('streams every attempt in the order recorded, in several chunks, with a header', async () => {
    const response = await get(`/campaigns/${campaignId}/attempts.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-length')).toBeNull();
    let chunks = 0;
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body as ReadableStream<Uint8Array>) {
      chunks++;
      text += decoder.decode(chunk, { stream: true });
    }
    expect(chunks).toBeGreaterThan(1);
    const [header, ...records] = parseCsv(text);
    expect(header?.slice(0, 12)).toEqual(['attemptId', 'runId', 'memberId', 'memberName', 'externalKey', 'dialListId', 'dialListName', 'server', 'numberSlot', 'dialedNumber', 'normalizedNumber', 'tryCount']);
    expect(records).toHaveLength(ROWS);
    expect(ROWS).toBeGreaterThan(5 * CSV_PAGE_SIZE);
    expect(records.map((record) => record[0])).toEqual(ids);
    expect(records.every((record) => record.length === header?.length)).toBe(true);
  });

  it('quotes what RFC 4180 asks and keeps formulas from running in a spreadsheet', async () => {
    const text = await (await get(`/campaigns/${campaignId}/attempts.csv`)).text();
    const records = parseCsv(text);
    const header = records[0] as string[];
    const column = (name: string) => header.indexOf(name);
    const byNumber = (number: string) => records.find((record) => record[column('dialedNumber')] === number) as string[];
    expect(byNumber("'+34911222333")).toBeDefined();
    expect(text).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(byNumber('1002')[column('completionCode')]).toBe(`'=HYPERLINK("http://evil","x")`);
    expect(byNumber('1004')[column('completionCode')]).toBe('said "no", then\r\nhung up');
    expect(JSON.parse(byNumber('1006')[column('variables')] as string)).toEqual({ NOTE: '@home, "VIP"' });
    const answered = byNumber('1000');
    expect([answered[column('outcome')], answered[column('ringSec')], answered[column('waitSec')], answered[column('talkSec')]]).toEqual(['ANSWERED', '2', '3', '15']);
    expect(answered[column('endedAt')]).toBe('2026-11-20T10:00:20.000Z');
    expect(decodeGlobalID(answered[column('runId')] as string)).toEqual({ typename: 'CampaignRun', id: secondRun });
    expect(byNumber('1003')[column('talkSec')]).toBe('');
  });

  it('carries what joins an attempt back to a CRM: the member\'s name and external key, the list\'s name, and the agent\'s disposition', async () => {
    const records = parseCsv(await (await get(`/campaigns/${campaignId}/attempts.csv`)).text());
    const header = records[0] as string[];
    const named = (record: string[]) => Object.fromEntries(['memberName', 'externalKey', 'dialListName', 'dispositionLevel1', 'dispositionLevel2', 'dispositionLevel3'].map((name) => [name, record[header.indexOf(name)]]));
    const ana = records.find((record) => record[header.indexOf('dialedNumber')] === '1008') as string[];
    expect(named(ana)).toEqual({ memberName: 'Ana Silva', externalKey: 'crm-42', dialListName: setup.dialList.name, dispositionLevel1: 'Sale', dispositionLevel2: 'Upsell', dispositionLevel3: '' });
  });

  it('gives each dialed number in E.164 beside it, as its list reads numbers', async () => {
    const list = (country: string | null) => server.current.database.prisma.dialList.update({ where: { id: setup.dialList.id }, data: { country } });
    await list('ES');
    try {
      const records = parseCsv(await (await get(`/campaigns/${campaignId}/attempts.csv`)).text());
      const header = records[0] as string[];
      const normalized = (dialed: string) => records.find((record) => record[header.indexOf('dialedNumber')] === dialed)?.[header.indexOf('normalizedNumber')];
      // A leading + is guarded as a spreadsheet formula would be, as the dialed number is.
      expect([normalized('911222334'), normalized("'+34911222333"), normalized('1008')]).toEqual(["'+34911222334", "'+34911222333", '1008']);
    } finally {
      await list(null);
    }
  });

  it('narrows to one run and to when the attempts ended', async () => {
    const run = encodeGlobalID('CampaignRun', secondRun);
    expect(parseCsv(await (await get(`/campaigns/${campaignId}/attempts.csv?run=${encodeURIComponent(run)}`)).text())).toHaveLength(101);
    // Attempt i ended at 10:00:20 + i s: [10:00:30, 10:00:40) holds attempts 10 to 19.
    const [header, ...windowed] = parseCsv(await (await get(`/campaigns/${campaignId}/attempts.csv?from=2026-11-20T10:00:30Z&to=2026-11-20T10:00:40Z`)).text());
    expect(windowed.map((record) => record[header?.indexOf('dialedNumber') ?? -1]).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `${1010 + i}`));
  });

  it('refuses a request without a valid token with 401, before saying whether the campaign exists', async () => {
    for (const token of [null, 'sbt_not-a-token']) {
      const response = await get(`/campaigns/${encodeGlobalID('Campaign', randomUUID())}/attempts.csv`, token);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers 404 with a JSON error for an unknown campaign or a run of another one, 400 for ids and dates that are wrong', async () => {
    const unknown = await get(`/campaigns/${encodeGlobalID('Campaign', randomUUID())}/attempts.csv`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/json');
    expect(await unknown.json()).toMatchObject({ errors: [{ message: expect.stringContaining('does not exist'), extensions: { code: 'NOT_FOUND' } }] });

    const other = await reportCampaign(server.current.database.prisma, 'Other');
    const foreignRun = await get(`/campaigns/${campaignId}/attempts.csv?run=${encodeURIComponent(encodeGlobalID('CampaignRun', other.run.id))}`);
    expect(foreignRun.status).toBe(404);

    for (const path of [
      `/campaigns/${encodeGlobalID('Plan', setup.plan.id)}/attempts.csv`,
      `/campaigns/not-an-id/attempts.csv`,
      `/campaigns/${campaignId}/attempts.csv?from=yesterday`,
      `/campaigns/${campaignId}/attempts.csv?run=${campaignId}`,
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    }
  });
});
