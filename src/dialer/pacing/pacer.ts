import { riskAllowed } from './feedback.js';
import { lookAheadCalls } from './lookAhead.js';
import type { DialingObservation } from './observations.js';
import { callLimit, jadeCalls, progressiveCalls, withinLimits } from './rules.js';
import type { PacingSnapshot } from './snapshot.js';
import { DialingStatistics } from './statistics.js';

/** What a run's pacing has seen, for progress reports. Rates are fractions. */
export interface PacingSummary {
  finishedAttempts: number;
  answered: number;
  abandoned: number;
  /** Over the recent finished attempts; undefined before the first. */
  answerRate: number | undefined;
  /** The run's abandoned calls over its answered calls. */
  abandonRate: number;
  meanRingSec: number | undefined;
  meanTalkSec: number | undefined;
  meanWrapUpSec: number | undefined;
}

/**
 * How many calls one running campaign should originate. Feed it every dialing's observations as they
 * happen, and ask `callsToPlace` on every tick and after every observation. Pure: no I/O, no timers, time
 * comes in with the observations and snapshots. One Pacer per campaign run: its abandon rate is the run's.
 */
export class Pacer {
  private readonly statistics = new DialingStatistics();

  observe(observation: DialingObservation): void {
    this.statistics.observe(observation);
  }

  /** The number of new calls to originate now (0 or more). */
  callsToPlace(snapshot: PacingSnapshot): number {
    switch (snapshot.plan.dialMode) {
      case 'PROGRESSIVE':
        return withinLimits(progressiveCalls(snapshot), snapshot);
      case 'PREDICTIVE':
        return withinLimits(this.predictiveCalls(snapshot), snapshot);
      case 'BROADCAST':
        // No agent waits for these calls: as many as the plan's and the trunks' limits leave room for.
        return withinLimits(Infinity, snapshot);
      case 'PREVIEW':
      case 'NONE':
        // Preview calls are placed by an agent's reservation, never by pacing.
        return 0;
    }
  }

  /** Whether the run's abandoned calls are over the plan's maximum share of its answered ones. */
  overAbandonLimit(plan: PacingSnapshot['plan']): boolean {
    return this.statistics.abandoned > (plan.maxAbandonPercent / 100) * this.statistics.answered;
  }

  summary(): PacingSummary {
    const { statistics } = this;
    return {
      finishedAttempts: statistics.finishedAttempts,
      answered: statistics.answered,
      abandoned: statistics.abandoned,
      answerRate: statistics.answers.rate,
      abandonRate: statistics.abandonRate,
      meanRingSec: statistics.answeredRingSec.mean,
      meanTalkSec: statistics.talkSec.mean,
      meanWrapUpSec: statistics.wrapUpSec.mean,
    };
  }

  /**
   * jade's rule as the floor; above it, once warmed up, the look-ahead with the risk the run can afford.
   * While the run is over the plan's maximum abandon rate, no call is placed that has no free seat waiting
   * for it (PROGRESSIVE) until answered calls bring the rate back under: the maximum is a limit, not a target.
   */
  private predictiveCalls(snapshot: PacingSnapshot): number {
    const { seats, plan, now } = snapshot;
    const { statistics } = this;
    if (this.overAbandonLimit(plan)) return progressiveCalls(snapshot);
    const floor = jadeCalls(snapshot);
    const answerRate = statistics.answers.rate;
    if (seats === null || answerRate === undefined || statistics.finishedAttempts < plan.warmUpAttempts) return floor;
    const talkingElapsedSec = statistics.talkingElapsedSec(now).slice(0, seats.busy);
    const wrappingUpElapsedSec = statistics.wrappingUpElapsedSec(now).slice(0, seats.busy - talkingElapsedSec.length);
    const predicted = lookAheadCalls({
      answerProbability: answerRate,
      answeredRingSec: statistics.answeredRingSec,
      unansweredRingSec: statistics.unansweredRingSec,
      talkSec: statistics.talkSec,
      wrapUpSec: statistics.wrapUpSec,
      ringingElapsedSec: statistics.ringingElapsedSec(now),
      waitingForSeat: statistics.waitingForSeat,
      freeSeats: seats.free,
      talkingElapsedSec,
      wrappingUpElapsedSec,
      otherBusySeats: seats.busy - talkingElapsedSec.length - wrappingUpElapsedSec.length,
      riskThreshold: riskAllowed(statistics, plan.targetAbandonPercent / 100, plan.maxAbandonPercent / 100),
      limit: callLimit(snapshot),
    });
    return Math.max(floor, predicted);
  }
}
