import { MetricsRegistry } from './registry.js';

/**
 * What this process counts, served at /metrics. Counters live in the process that did the work (a worker
 * ingests, a dialer originates): with several processes, scrape each and sum.
 */
export const processMetrics = new MetricsRegistry();

const PER_PROCESS = 'Counted by this process since it started; sum over processes for the whole system.';

export const amiEventsIngested = processMetrics.counter(
  'switchboard_ami_events_ingested_total',
  `AMI events reduced into the live state, by PBX server. ${PER_PROCESS}`,
  ['server'],
);

export const amiActionsSent = processMetrics.counter('switchboard_ami_actions_sent_total', `AMI actions written to a PBX, by server. ${PER_PROCESS}`, ['server']);

export const amiActionsFailed = processMetrics.counter(
  'switchboard_ami_actions_failed_total',
  `AMI actions sent that failed: refused (Response: Error), unanswered in time, or lost with the connection; by server. ${PER_PROCESS}`,
  ['server'],
);

export const originatesPlaced = processMetrics.counter(
  'switchboard_originates_total',
  `Campaign calls originated by the dialer and accepted by the PBX, by server. ${PER_PROCESS}`,
  ['server'],
);

export const webhookPosts = processMetrics.counter(
  'switchboard_webhook_posts_total',
  `Webhook notifications POSTed, by result: delivered (a 2xx) or failed (retried later). ${PER_PROCESS}`,
  ['result'],
);

export const subscriptionClients = processMetrics.gauge(
  'switchboard_subscription_clients',
  'graphql-ws connections authenticated on this process now (subscription clients).',
);

export const unhandledRejections = processMetrics.counter(
  'switchboard_unhandled_rejections_total',
  `Promise rejections nobody handled, logged and survived: each is a bug. ${PER_PROCESS}`,
  [],
);

export const dialingsAdopted = processMetrics.counter(
  'switchboard_dialings_adopted_total',
  `Dialings taken over from a dialer that died (or after this one's AMI reconnect), by what became of each: followed (still up), recorded (ended, from the call log), unseen (ended, recorded with what was known), untried (never reached the PBX, given back). ${PER_PROCESS}`,
  ['result'],
);
