import type { DialingObservation } from './observations.js';
import { SlidingRate } from './rate.js';
import { SlidingSamples } from './samples.js';

/** Recent dialings are what predicts the next ones; a few hundred follow a change of list or hour quickly. */
const WINDOW = 500;
/** Table resolutions: a quarter second for rings and wrap-ups, a second for talk, which lasts minutes. */
const SHORT_STEP_SEC = 0.25;
const TALK_STEP_SEC = 1;

/** What a campaign run's dialings have shown so far, and where its calls in flight stand. */
export class DialingStatistics {
  /** Whether each of the last finished attempts was answered. */
  readonly answers = new SlidingRate(WINDOW);
  /** Seconds from placing to answer, of answered calls. */
  readonly answeredRingSec = new SlidingSamples(WINDOW, SHORT_STEP_SEC);
  /** Seconds from placing to the end, of calls that were not answered. */
  readonly unansweredRingSec = new SlidingSamples(WINDOW, SHORT_STEP_SEC);
  /** Seconds of talk, from connect to hangup. */
  readonly talkSec = new SlidingSamples(WINDOW, TALK_STEP_SEC);
  /** Seconds of wrap-up, from hangup until the seat is free again. */
  readonly wrapUpSec = new SlidingSamples(WINDOW, SHORT_STEP_SEC);

  finishedAttempts = 0;
  /**
   * Answered calls that were for an agent: the abandon rate's base, as regulators count it over calls a person
   * answered. A released one (a machine, an answer no agent was meant for) is taken back out; the answer rate
   * the prediction uses (`answers`) still counts it.
   */
  answered = 0;
  abandoned = 0;

  /** Placing time of each dialing still ringing, by dialing id. */
  private readonly ringingSince = new Map<string, number>();
  /** Answer time of each answered call still waiting for a seat. */
  private readonly waitingSince = new Map<string, number>();
  /** Connect time of each call still talking. */
  private readonly talkingSince = new Map<string, number>();
  /** Hangup time of each call whose seat is in wrap-up. */
  private readonly wrappingUpSince = new Map<string, number>();

  observe(observation: DialingObservation): void {
    const { dialingId, at } = observation;
    switch (observation.kind) {
      case 'placed':
        this.ringingSince.set(dialingId, at);
        return;
      case 'failed':
        this.finish(dialingId, at, false);
        return;
      case 'answered':
        this.finish(dialingId, at, true);
        this.answered++;
        this.waitingSince.set(dialingId, at);
        return;
      case 'connected':
        this.waitingSince.delete(dialingId);
        this.talkingSince.set(dialingId, at);
        return;
      case 'abandoned':
        this.waitingSince.delete(dialingId);
        this.abandoned++;
        return;
      case 'released':
        this.waitingSince.delete(dialingId);
        this.answered--;
        return;
      case 'hungUp':
        // Only a connected call's hangup starts a wrap-up; the engine may report every call's.
        if (!this.talkingSince.has(dialingId)) return;
        this.wrappingUpSince.set(dialingId, at);
        moveSample(this.talkingSince, dialingId, at, this.talkSec);
        return;
      case 'seatFreed':
        if (this.talkingSince.has(dialingId)) {
          // Freed without a hangup first: a seat without wrap-up.
          moveSample(this.talkingSince, dialingId, at, this.talkSec);
          this.wrapUpSec.add(0);
        } else {
          moveSample(this.wrappingUpSince, dialingId, at, this.wrapUpSec);
        }
    }
  }

  /** The run's abandoned calls over its answered calls, 0 before the first answer. */
  get abandonRate(): number {
    return this.answered === 0 ? 0 : this.abandoned / this.answered;
  }

  /** Seconds each dialing still ringing has rung by `now`. */
  ringingElapsedSec(now: number): number[] {
    return elapsedSec(this.ringingSince, now);
  }

  /** Seconds each seat talking on a call of this run has talked by `now`. */
  talkingElapsedSec(now: number): number[] {
    return elapsedSec(this.talkingSince, now);
  }

  /** Seconds each seat in wrap-up after a call of this run has been in it by `now`. */
  wrappingUpElapsedSec(now: number): number[] {
    return elapsedSec(this.wrappingUpSince, now);
  }

  get waitingForSeat(): number {
    return this.waitingSince.size;
  }

  private finish(dialingId: string, at: number, answered: boolean): void {
    const placedAt = this.ringingSince.get(dialingId);
    this.ringingSince.delete(dialingId);
    this.finishedAttempts++;
    this.answers.add(answered);
    // A dialing placed before this run's Pacer existed counts, but its ring time is unknown.
    if (placedAt === undefined) return;
    (answered ? this.answeredRingSec : this.unansweredRingSec).add((at - placedAt) / 1000);
  }
}

/** Ends the span `dialingId` started in `since`, if it did, as a sample of its length in seconds. */
function moveSample(since: Map<string, number>, dialingId: string, at: number, samples: SlidingSamples): void {
  const start = since.get(dialingId);
  if (start === undefined) return;
  since.delete(dialingId);
  samples.add((at - start) / 1000);
}

function elapsedSec(since: ReadonlyMap<string, number>, now: number): number[] {
  const elapsed: number[] = [];
  for (const at of since.values()) elapsed.push(Math.max(0, (now - at) / 1000));
  return elapsed;
}
