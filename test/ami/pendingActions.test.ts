import { describe, expect, it } from 'vitest';
import { AmiActionError, AmiConnectionLostError, AmiProtocolError, AmiTimeoutError } from '../../src/ami/errors.js';
import { parseFrame, type AmiEvent } from '../../src/ami/message.js';
import { PendingActions } from '../../src/ami/pendingActions.js';
import type { Schedule } from '../../src/ami/schedule.js';

/** A schedule whose timers run only when the test says so. */
function manualSchedule() {
  const timers = new Map<number, { delayMs: number; run: () => void }>();
  let next = 0;
  const schedule: Schedule = (delayMs, run) => {
    const id = next++;
    timers.set(id, { delayMs, run });
    return () => void timers.delete(id);
  };
  return {
    schedule,
    timers,
    fireAll() {
      for (const [id, timer] of [...timers]) {
        timers.delete(id);
        timer.run();
      }
    },
  };
}

const frame = (text: string) => parseFrame(text.replaceAll('\n', '\r\n'));
const event = (text: string) => frame(text) as AmiEvent;

describe('PendingActions', () => {
  it('gives every action its own ActionID: a per-connection prefix and a counter', () => {
    const a = new PendingActions('pbx', manualSchedule().schedule);
    const b = new PendingActions('pbx', manualSchedule().schedule);
    const ids = Array.from({ length: 10_000 }, () => a.nextActionId());
    expect(new Set(ids).size).toBe(10_000);
    expect(ids[0]).toMatch(/^sb[0-9a-f]{8}-1$/);
    expect(b.nextActionId()).not.toBe(a.nextActionId());
  });

  it('resolves with the response and cancels the timer', async () => {
    const clock = manualSchedule();
    const pending = new PendingActions('pbx', clock.schedule);
    const answer = pending.expectResponse('x-1', 'Ping', 500);
    expect([...clock.timers.values()].map((timer) => timer.delayMs)).toEqual([500]);
    pending.respond('x-1', frame('Response: Success\nActionID: x-1\nPing: Pong\n\n'));
    await expect(answer).resolves.toMatchObject({ ping: 'Pong' });
    expect(clock.timers.size).toBe(0);
    expect(pending.size).toBe(0);
  });

  it('rejects Response: Error with AmiActionError carrying Asterisk message', async () => {
    const pending = new PendingActions('pbx', manualSchedule().schedule);
    const answer = pending.expectResponse('x-1', 'QueueRemove', 500);
    pending.respond('x-1', frame('Response: Error\nActionID: x-1\nMessage: Unable to remove interface: Not there\n\n'));
    await expect(answer).rejects.toThrow(AmiActionError);
    await expect(answer).rejects.toMatchObject({ action: 'QueueRemove', asteriskMessage: 'Unable to remove interface: Not there' });
  });

  it('times out naming the action', async () => {
    const clock = manualSchedule();
    const pending = new PendingActions('pbx', clock.schedule);
    const answer = pending.expectResponse('x-1', 'Originate', 10_000);
    clock.fireAll();
    await expect(answer).rejects.toThrow(new AmiTimeoutError('pbx', 'Originate', 10_000));
    await expect(answer).rejects.toThrow('AMI Originate timed out after 10000 ms on pbx');
    expect(pending.size).toBe(0);
  });

  it('gathers a list up to its Complete event, leaving other events alone', async () => {
    const pending = new PendingActions('pbx', manualSchedule().schedule);
    const answer = pending.expectList('x-1', 'CoreShowChannels', 500);
    pending.respond('x-1', frame('Response: Success\nActionID: x-1\nEventList: start\nMessage: Channels will follow\n\n'));
    expect(pending.claim(event('Event: CoreShowChannel\nActionID: x-1\nChannel: A\n\n'))).toBe(true);
    expect(pending.claim(event('Event: Newchannel\nChannel: C\n\n'))).toBe(false);
    expect(pending.claim(event('Event: OriginateResponse\nActionID: x-9\nResponse: Success\n\n'))).toBe(false);
    expect(pending.claim(event('Event: CoreShowChannel\nActionID: x-1\nChannel: B\n\n'))).toBe(true);
    expect(pending.claim(event('Event: CoreShowChannelsComplete\nActionID: x-1\nEventList: Complete\nListItems: 2\n\n'))).toBe(true);
    const result = await answer;
    expect(result.events.map((item) => item.channel)).toEqual(['A', 'B']);
    expect(result.complete).toMatchObject({ event: 'CoreShowChannelsComplete', listitems: '2' });
    expect(pending.size).toBe(0);
  });

  it('rejects a listAction answered without a list', async () => {
    const pending = new PendingActions('pbx', manualSchedule().schedule);
    const answer = pending.expectList('x-1', 'Ping', 500);
    pending.respond('x-1', frame('Response: Success\nActionID: x-1\nPing: Pong\n\n'));
    await expect(answer).rejects.toThrow(AmiProtocolError);
  });

  it('swallows the list items of a plain action answered with a list, up to Complete', async () => {
    const pending = new PendingActions('pbx', manualSchedule().schedule);
    const answer = pending.expectResponse('x-1', 'Hangup', 500);
    pending.respond('x-1', frame('Response: Success\nActionID: x-1\nEventList: start\n\n'));
    await expect(answer).resolves.toMatchObject({ eventlist: 'start' });
    expect(pending.claim(event('Event: ChannelHungup\nActionID: x-1\n\n'))).toBe(true);
    expect(pending.claim(event('Event: ChannelsHungupListComplete\nActionID: x-1\nEventList: Complete\n\n'))).toBe(true);
    expect(pending.claim(event('Event: ChannelHungup\nActionID: x-1\n\n'))).toBe(false);
  });

  it('fails everything still waiting when the connection goes', async () => {
    const clock = manualSchedule();
    const pending = new PendingActions('pbx', clock.schedule);
    const answers = [pending.expectResponse('x-1', 'Ping', 500), pending.expectList('x-2', 'Agents', 500)];
    pending.failAll((action) => new AmiConnectionLostError('pbx', action));
    await expect(answers[0]).rejects.toThrow('AMI Ping unanswered: the connection to pbx was lost');
    await expect(answers[1]).rejects.toThrow(AmiConnectionLostError);
    expect(clock.timers.size).toBe(0);
  });
});
