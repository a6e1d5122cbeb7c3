import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { requestViewer } from '../auth/requestViewer.js';
import { AuthenticationError } from '../errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { attemptsCsv, type AttemptsCsvScope } from './attemptsCsv.js';

/** GET /campaigns/<campaign id>/attempts.csv, the id as the GraphQL API gives it. */
const PATH = /^\/campaigns\/([^/]+)\/attempts\.csv$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class BadRequest extends Error {}

function replyError(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json', ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}) });
  response.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/** The database id inside a global id of `typename`, or a BadRequest naming the parameter. */
function idOf(globalId: string, typename: string, parameter: string): string {
  try {
    const decoded = decodeGlobalID(globalId);
    if (decoded.typename === typename && UUID.test(decoded.id)) return decoded.id;
  } catch {
    // Reported below like any id of the wrong kind.
  }
  throw new BadRequest(`${parameter}: ${JSON.stringify(globalId)} is not a ${typename} id this API gave out`);
}

function dateOf(value: string | null, parameter: string): Date | null {
  if (value === null) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new BadRequest(`${parameter}: ${JSON.stringify(value)} is not an ISO 8601 date-time`);
  return date;
}

/** What the path segment and the query ask for, or a BadRequest naming the parameter that is wrong. */
function scopeOf(pathSegment: string, query: URLSearchParams): AttemptsCsvScope {
  let campaign: string;
  try {
    campaign = decodeURIComponent(pathSegment);
  } catch {
    throw new BadRequest(`campaign: ${JSON.stringify(pathSegment)} is not a Campaign id this API gave out`);
  }
  const run = query.get('run');
  return {
    campaignId: idOf(campaign, 'Campaign', 'campaign'),
    runId: run === null ? null : idOf(run, 'CampaignRun', 'run'),
    from: dateOf(query.get('from'), 'from'),
    to: dateOf(query.get('to'), 'to'),
  };
}

/** Writes a chunk, waiting while the client reads slower than the database gives rows. */
async function write(response: ServerResponse, chunk: string): Promise<void> {
  if (!response.write(chunk)) await Promise.race([once(response, 'drain'), once(response, 'close')]);
}

/**
 * A campaign's attempts as a CSV download (any role's bearer token), streamed page by page: optional
 * `run` (a CampaignRun id) and `from` / `to` (ISO 8601, on when attempts ended). Answers true when the
 * request was its own.
 */
export function attemptsCsvEndpoint(prisma: PrismaClient, log: Logger): (request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://host');
    const match = request.method === 'GET' ? PATH.exec(url.pathname) : null;
    if (!match) return false;
    try {
      await requestViewer(prisma, request);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      replyError(response, 401, 'UNAUTHENTICATED', error.message);
      return true;
    }
    let scope: AttemptsCsvScope;
    try {
      scope = scopeOf(match[1] as string, url.searchParams);
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      replyError(response, 400, 'BAD_USER_INPUT', error.message);
      return true;
    }
    try {
      const campaign = await prisma.campaign.findUnique({ where: { id: scope.campaignId }, select: { id: true } });
      if (!campaign) {
        replyError(response, 404, 'NOT_FOUND', `Campaign ${match[1]} does not exist`);
        return true;
      }
      if (scope.runId && !(await prisma.campaignRun.findFirst({ where: { id: scope.runId, campaignId: scope.campaignId }, select: { id: true } }))) {
        replyError(response, 404, 'NOT_FOUND', `CampaignRun ${url.searchParams.get('run')} is not a run of this campaign`);
        return true;
      }
      response.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': `attachment; filename="attempts-${scope.campaignId}.csv"`,
      });
      for await (const chunk of attemptsCsv(prisma, scope)) {
        // The client went away: stop reading pages for nobody.
        if (response.destroyed) return true;
        await write(response, chunk);
      }
      response.end();
    } catch (error) {
      log.error({ err: error, campaign: scope.campaignId }, 'CSV export of attempts failed');
      if (!response.headersSent) replyError(response, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error');
      // Cut rather than ended: a truncated file must not look complete.
      else response.destroy(error as Error);
    }
    return true;
  };
}
