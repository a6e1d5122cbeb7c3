import { normalCdf } from './normal.js';

/** A duration's distribution as observed: the share of samples above a value, and their mean. */
export interface ObservedDuration {
  survival(valueSec: number): number;
  readonly mean: number | undefined;
}

/** Where a campaign stands when it looks ahead; durations in seconds. */
export interface LookAheadInput {
  answerProbability: number;
  answeredRingSec: ObservedDuration;
  unansweredRingSec: ObservedDuration;
  talkSec: ObservedDuration;
  wrapUpSec: ObservedDuration;
  /** How long each dialing still ringing has rung. */
  ringingElapsedSec: readonly number[];
  waitingForSeat: number;
  freeSeats: number;
  /** How long each seat on a call of this run has talked. */
  talkingElapsedSec: readonly number[];
  /** How long each seat in wrap-up after a call of this run has been in it. */
  wrappingUpElapsedSec: readonly number[];
  /** Busy seats on calls this run did not connect (other campaigns, inbound, before a restart). */
  otherBusySeats: number;
  /** Place a call only while the chance it costs an abandon, if answered, stays at or below this. */
  riskThreshold: number;
  /** Never return more than this. */
  limit: number;
}

/** The longest look ahead, in case answered ring times run long. */
const MAX_HORIZON_SEC = 120;

/**
 * How many new calls to place so that each, if answered, costs an abandon with a chance of at most
 * riskThreshold. For every second h of a new call's possible ring it compares the answers expected by then
 * (calls waiting, calls ringing given how long they have rung, the new calls) with the seats expected free
 * by then (free now, busy ones given how long they have talked or wrapped up), as normal approximations of
 * those sums of chances.
 */
export function lookAheadCalls(input: LookAheadInput): number {
  const { answerProbability: p, answeredRingSec } = input;
  if (p <= 0 || answeredRingSec.mean === undefined || input.limit <= 0) return 0;
  const horizons = horizonCount(answeredRingSec);
  // gap[h]: answers expected within h seconds less seats expected free by then; variance[h]: its variance.
  const gap = new Float64Array(horizons + 1);
  const variance = new Float64Array(horizons + 1);
  addAnswers(input, gap, variance);
  addFreeSeats(input, gap, variance);

  const newAnswerBy = new Float64Array(horizons + 1);
  const answersIn = new Float64Array(horizons + 1);
  for (let h = 1; h <= horizons; h++) {
    newAnswerBy[h] = p * (1 - answeredRingSec.survival(h));
    answersIn[h] = answeredRingSec.survival(h - 1) - answeredRingSec.survival(h);
  }
  const shortage = new Float64Array(horizons + 2);
  let calls = 0;
  while (calls < input.limit) {
    // A call answered at h takes a seat that a later answer would have had, so a shortage of seats at h
    // or any time after costs an abandon.
    for (let h = horizons; h >= 1; h--) {
      const q = newAnswerBy[h] as number;
      const expected = (gap[h] as number) + calls * q;
      const spread = Math.sqrt((variance[h] as number) + calls * q * (1 - q));
      // Answers are whole: this call finds no seat when the others' answers reach the seats free.
      const short = spread === 0 ? (expected + 0.5 > 0 ? 1 : 0) : normalCdf((expected + 0.5) / spread);
      shortage[h] = Math.max(short, shortage[h + 1] as number);
    }
    let risk = 0;
    for (let h = 1; h <= horizons; h++) risk += (answersIn[h] as number) * (shortage[h] as number);
    if (risk > input.riskThreshold) break;
    calls++;
  }
  return calls;
}

function horizonCount(answeredRingSec: ObservedDuration): number {
  let h = 1;
  while (h < MAX_HORIZON_SEC && answeredRingSec.survival(h) > 0) h++;
  return h;
}

/** Adds to gap[h] the answers expected within h seconds: calls waiting for a seat and ringing ones. */
function addAnswers(input: LookAheadInput, gap: Float64Array, variance: Float64Array): void {
  const { answerProbability: p, answeredRingSec, unansweredRingSec } = input;
  for (let h = 1; h < gap.length; h++) gap[h] = (gap[h] as number) + input.waitingForSeat;
  for (const elapsed of input.ringingElapsedSec) {
    const answeredLater = p * answeredRingSec.survival(elapsed);
    const stillRinging = answeredLater + (1 - p) * unansweredRingSec.survival(elapsed);
    if (answeredLater <= 0) continue;
    for (let h = 1; h < gap.length; h++) {
      const chance = (answeredLater - p * answeredRingSec.survival(elapsed + h)) / stillRinging;
      gap[h] = (gap[h] as number) + chance;
      variance[h] = (variance[h] as number) + chance * (1 - chance);
    }
  }
}

/** Takes from gap[h] the seats expected free within h seconds: the free ones and busy ones done by then. */
function addFreeSeats(input: LookAheadInput, gap: Float64Array, variance: Float64Array): void {
  const { talkSec, wrapUpSec } = input;
  const add = (h: number, chance: number): void => {
    gap[h] = (gap[h] as number) - chance;
    variance[h] = (variance[h] as number) + chance * (1 - chance);
  };
  for (let h = 1; h < gap.length; h++) gap[h] = (gap[h] as number) - input.freeSeats;
  for (const elapsed of input.wrappingUpElapsedSec) {
    for (let h = 1; h < gap.length; h++) add(h, endsWithin(wrapUpSec, elapsed, h));
  }
  // A seat still talking needs its wrap-up after the talk.
  const wrapUp = wrapUpSec.mean ?? 0;
  for (const elapsed of input.talkingElapsedSec) {
    for (let h = Math.floor(wrapUp) + 1; h < gap.length; h++) add(h, endsWithin(talkSec, elapsed, h - wrapUp));
  }
  if (talkSec.mean === undefined) return;
  const otherMeanSec = talkSec.mean + wrapUp;
  for (let h = 1; h < gap.length; h++) {
    const chance = memoryless(otherMeanSec, h);
    for (let seat = 0; seat < input.otherBusySeats; seat++) add(h, chance);
  }
}

/**
 * The chance a span of this duration that has lasted `elapsed` ends within the next `within` seconds. One
 * that has outlasted every sample, or whose start is unknown, is taken as memoryless; none ends before the
 * first sample.
 */
function endsWithin(duration: ObservedDuration, elapsed: number, within: number): number {
  if (duration.mean === undefined) return 0;
  const lasting = duration.survival(elapsed);
  if (lasting > 0) return (lasting - duration.survival(elapsed + within)) / lasting;
  return memoryless(duration.mean, within);
}

function memoryless(meanSec: number, within: number): number {
  return meanSec <= 0 ? 1 : 1 - Math.exp(-within / meanSec);
}
