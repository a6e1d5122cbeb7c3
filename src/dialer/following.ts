import type { AmiConnection } from '../ami/connection.js';
import type { AmiEvent } from '../ami/message.js';
import type { Clock } from '../clock.js';
import { channelsUp, withLiveLegs } from './adoption.js';
import type { AttemptResult, FinishedAttempt } from './attempts.js';
import type { CallResultWriter, DialingProgressWriter } from './dialingProgress.js';
import type { FollowedDialings, Followed } from './followed.js';
import type { DialingObservation } from './pacing/observations.js';
import { trackedIds, trackEvent, type DialingTrack } from './tracking.js';

/** What following dialings needs of the engine: where progress and results go, and who is told of each step. */
export type FollowingDeps = {
  followed: FollowedDialings;
  clock: Clock;
  dialingProgress: DialingProgressWriter;
  callResults: CallResultWriter;
  /** Records a finished attempt; false when the dialer stopped before it could. */
  record(attempt: FinishedAttempt): Promise<boolean>;
  /** Tells the campaign run's pacer what happened to one of its dialings. */
  observe(dialing: Followed, observation: DialingObservation): void;
  /** The campaign's progress changed (its progress is published after the tick). */
  changed(campaignId: string): void;
  /** Sends a call its trunk failed on through its plan's next trunk; false when it stays failed. */
  failOver(dialing: Followed, result: AttemptResult): Promise<boolean>;
};

/**
 * Follows each dialing through its PBX's events: its progress written as it rings, is answered and is put
 * through, the dialplan's results kept, its pacer told, and its attempt recorded when it ends. A seat is told
 * free once its wrap-up is over.
 */
export class DialingFollower {
  private readonly wrapUps = new Set<() => void>();

  constructor(private readonly deps: FollowingDeps) {}

  /** An event of `server`: moves on the dialing it belongs to, if any. */
  onEvent(server: string, event: AmiEvent): void {
    const dialing = this.deps.followed.ofEvent(server, event);
    if (!dialing) return;
    if (dialing.adopting) return void dialing.adopting.push(event);
    const before = dialing.track;
    dialing.track = trackEvent(before, event, this.deps.clock.now());
    this.advanced(dialing, before);
  }

  /** What follows from a dialing's track moving on from before: results and progress written, its end recorded. */
  advanced(dialing: Followed, before: DialingTrack): void {
    const { dialingProgress, callResults } = this.deps;
    const observe = (observation: DialingObservation) => this.deps.observe(dialing, observation);
    const { track } = dialing;
    if (track.resultChanges.length > before.resultChanges.length) callResults.write(dialing.id, track.resultChanges.slice(before.resultChanges.length));
    if (track.answeredAt !== null && !dialing.reported.answered) {
      dialing.reported.answered = true;
      observe({ kind: 'answered', dialingId: dialing.id, at: track.answeredAt });
      dialingProgress.note(dialing.id, { status: 'ANSWERED', channel: track.channel, acceptedAt: null, answeredAt: track.answeredAt, bridgedAt: null });
    }
    if (track.bridgedAt !== null && !dialing.reported.connected) {
      dialing.reported.connected = true;
      observe({ kind: 'connected', dialingId: dialing.id, at: track.bridgedAt });
      dialingProgress.note(dialing.id, { status: 'BRIDGED', channel: track.channel, acceptedAt: null, answeredAt: track.answeredAt, bridgedAt: track.bridgedAt });
    }
    if (before.channel === null && track.channel !== null && track.answeredAt === null) {
      dialingProgress.note(dialing.id, { status: 'RINGING', channel: track.channel, acceptedAt: null, answeredAt: null, bridgedAt: null });
    }
    if (track.endedAt !== null) void this.ended(dialing, dialing.rules.result(track, dialing.originatedAt, dialing.cancelled));
  }

  /** A call that ended: on through its next trunk when its trunk failed it, else recorded. */
  private async ended(dialing: Followed, result: AttemptResult): Promise<void> {
    // Followed no more from here: a late event of its legs must not end it twice.
    this.deps.followed.forget(dialing);
    if (await this.deps.failOver(dialing, result)) return;
    await this.finish(dialing, result);
  }

  /** Records a dialing's attempt (it is followed no more), then tells its pacer how it ended. */
  async finish(dialing: Followed, result: AttemptResult): Promise<void> {
    const { followed, callResults, clock } = this.deps;
    const observe = (observation: DialingObservation) => this.deps.observe(dialing, observation);
    followed.forget(dialing);
    // The dialplan's last CALLSTATUS must be on the row before the recording reads it for the reschedule rules.
    await callResults.settled(dialing.id);
    if (!(await this.deps.record({ dialingId: dialing.id, result, decide: (numbers, attempt, found) => dialing.rules.next(result, numbers, attempt, found) }))) return;
    const at = result.endedAt.getTime();
    if (result.answeredAt === null) observe({ kind: 'failed', dialingId: dialing.id, at });
    // Only a call left waiting for an agent is abandoned: a machine's, or one no agent was meant to take, is not.
    else if (result.bridgedAt === null) observe({ kind: result.outcome === 'ABANDONED' ? 'abandoned' : 'released', dialingId: dialing.id, at });
    else {
      observe({ kind: 'hungUp', dialingId: dialing.id, at });
      // The seat is ready again once its wrap-up is over: told then, so until then it counts as wrapping up.
      const freed = clock.after(dialing.rules.wrapUpMs, () => {
        this.wrapUps.delete(freed);
        observe({ kind: 'seatFreed', dialingId: dialing.id, at: clock.now() });
      });
      this.wrapUps.add(freed);
    }
    this.deps.changed(dialing.campaignId);
  }

  /**
   * After a reconnect: what the PBX said while this process could not hear it is gone. A dialing with a leg
   * still up goes on, answered if its customer's leg is Up, and no longer waits for an OriginateResponse that
   * went to the old session; one with none is let go and its id returned, to be taken over again as a dead
   * dialer's would be, from its row and the call log (the worker may have heard its end).
   */
  async recheck(server: string, connection: AmiConnection): Promise<string[]> {
    const { followed, clock } = this.deps;
    const mine = followed.values().filter((dialing) => dialing.server === server && !dialing.adopting);
    if (mine.length === 0) return [];
    const up = await channelsUp(connection);
    const now = clock.now();
    const lost: string[] = [];
    for (const dialing of mine) {
      if (!followed.has(dialing.id)) continue;
      if (trackedIds(dialing.track).some((id) => up.has(id))) {
        const before = dialing.track;
        dialing.track = withLiveLegs({ ...before, awaitsResponse: false }, up, now);
        this.advanced(dialing, before);
        continue;
      }
      followed.forget(dialing);
      lost.push(dialing.id);
    }
    return lost;
  }

  /** Cancels the wrap-ups still running: a stopped dialer tells no pacer anything more. */
  stop(): void {
    for (const cancel of this.wrapUps) cancel();
  }
}
