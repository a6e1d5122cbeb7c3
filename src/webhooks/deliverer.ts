import { backoffDelay, type BackoffPolicy } from '../backoff.js';
import type { SqlDriver } from '../db/driver.js';
import type { Logger } from '../logger.js';
import { postDelivery } from './post.js';
import { PUBLIC_ONLY, type WebhookTargets } from './targets.js';
import { webhookPosts } from '../metrics/processMetrics.js';
import { claimDue, markDelivered, markFailed, type ClaimedDelivery } from './queue.js';
import { Rounds } from '../rounds.js';

export type DelivererOptions = {
  driver: SqlDriver;
  log: Logger;
  /** Requests in flight at most. */
  concurrency?: number;
  /** A receiver slower than this counts as failed. */
  timeoutMs?: number;
  /** How often the outbox is looked at when there was nothing to send. */
  pollMs?: number;
  backoff?: BackoffPolicy;
  now?: () => Date;
  random?: () => number;
  /** The addresses receivers may have; public ones only when absent. */
  targets?: WebhookTargets;
};

export type Deliverer = {
  /** Resolves once the outbox has been looked at `count` more times (or the deliverer stopped). */
  rounds(count?: number): Promise<void>;
  stop(): Promise<void>;
};

export const WEBHOOK_BACKOFF: BackoffPolicy = { initialMs: 2_000, maxMs: 10 * 60_000 };

/**
 * Sends the webhook outbox: a loop of its own, apart from the dialer, that never holds a connection while a
 * receiver answers. The rows are the only state: stopped or crashed, a deliverer leaves nothing that another
 * started later (or running beside it) will not send.
 */
export function startDeliverer(options: DelivererOptions): Deliverer {
  const { driver, log } = options;
  const concurrency = options.concurrency ?? 8;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pollMs = options.pollMs ?? 1_000;
  const backoff = options.backoff ?? WEBHOOK_BACKOFF;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const targets = options.targets ?? PUBLIC_ONLY;
  // Longer than a request may take, so a claim outlives its send unless the deliverer died.
  const leaseMs = timeoutMs + 30_000;
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  const rounds = new Rounds();
  // Set by a finished send (or stop) so the loop looks again at once, even if it was not asleep yet.
  let woken = false;
  let endSleep: () => void = () => {};
  const wake = () => {
    woken = true;
    endSleep();
  };

  const send = async (delivery: ClaimedDelivery) => {
    const outcome = await postDelivery(delivery, { timeoutMs, nowSec: Math.floor(now().getTime() / 1000), targets });
    const at = now();
    webhookPosts.inc({ result: outcome.delivered ? 'delivered' : 'failed' });
    if (outcome.delivered) {
      await markDelivered(driver, delivery.id, outcome.statusCode, at);
      log.debug({ deliveryId: delivery.id, webhookId: delivery.webhookId }, 'webhook delivered');
      return;
    }
    const nextTryAt = new Date(at.getTime() + backoffDelay(delivery.tries, backoff, random));
    await markFailed(driver, delivery.id, { statusCode: outcome.statusCode, error: outcome.error, nextTryAt });
    log.info({ deliveryId: delivery.id, webhookId: delivery.webhookId, tries: delivery.tries + 1, error: outcome.error, nextTryAt }, 'webhook delivery failed');
  };

  const loop = async () => {
    while (!stopped) {
      const free = concurrency - inFlight.size;
      let claimed: ClaimedDelivery[] = [];
      if (free > 0) {
        try {
          claimed = await claimDue(driver, { now: now(), howMany: free, leaseMs });
        } catch (error) {
          log.warn({ err: error }, 'could not read the webhook outbox');
        }
      }
      rounds.end();
      for (const delivery of claimed) {
        const sending: Promise<void> = send(delivery)
          .catch((error: unknown) => log.warn({ err: error, deliveryId: delivery.id }, 'could not record a webhook delivery; it is sent again when its claim runs out'))
          .finally(() => {
            inFlight.delete(sending);
            wake();
          });
        inFlight.add(sending);
      }
      // Asleep until the poll interval ends or a send finishes (a freed slot, maybe a member's next delivery due).
      if (!woken) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          endSleep = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      woken = false;
    }
  };
  const running = loop();

  return {
    rounds: (count) => rounds.next(count),
    async stop() {
      stopped = true;
      rounds.release();
      wake();
      await running;
      await Promise.all(inFlight);
    },
  };
}
