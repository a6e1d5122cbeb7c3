import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestViewer } from '../auth/requestViewer.js';
import { AuthenticationError } from '../errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { processMetrics } from '../metrics/processMetrics.js';
import { PROMETHEUS_CONTENT_TYPE, renderMetrics, type MetricFamily } from '../metrics/registry.js';

export const METRICS_PATH = '/metrics';

async function liveDialings(prisma: PrismaClient): Promise<MetricFamily> {
  return {
    name: 'switchboard_live_dialings',
    help: 'Dialings under way now, of every dialer process (read from the database at scrape time).',
    type: 'gauge',
    samples: [{ labels: {}, value: await prisma.dialing.count() }],
  };
}

/**
 * GET /metrics in the Prometheus text format. It needs a bearer token of any role (a VIEWER API token is
 * what a scraper should get): the figures say how busy the call centre is, which is not for anyone on the network.
 * Answers true when the request was its own.
 */
export function metricsEndpoint(prisma: PrismaClient, log: Logger): (request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
  return async (request, response) => {
    if (request.method !== 'GET' || new URL(request.url ?? '/', 'http://host').pathname !== METRICS_PATH) return false;
    try {
      await requestViewer(prisma, request);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      response.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      response.end(JSON.stringify({ errors: [{ message: error.message, extensions: { code: 'UNAUTHENTICATED' } }] }));
      return true;
    }
    let families: MetricFamily[];
    try {
      families = [...processMetrics.families(), await liveDialings(prisma)];
    } catch (error) {
      log.error({ err: error }, 'could not read the metrics');
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ message: 'Unexpected error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
      return true;
    }
    response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
    response.end(renderMetrics(families));
    return true;
  };
}
