import { pairs, role } from './frames.js';

/** A recording's dialplan destination and the Application and Data that run the same thing on ;1. */
export type AsApplication = { number: string; context: string; exten: string; application: string; data: string };

/** Application and Data in place of Context, Exten (and Priority): in the Originate sent, in its OriginateResponse. */
export function applicationFields(frame: string, target: AsApplication): string {
  return frame.replace(new RegExp(`\r\nContext: ${target.context}\r\nExten: ${target.exten}\r\n(Priority: 1\r\n)?`), `\r\nApplication: ${target.application}\r\nData: ${target.data}\r\n`);
}

/**
 * What Asterisk 22 sends for the recorded call when the Originate names an application (pbx.c pbx_outgoing_exec,
 * manager.c fast_originate): OriginateResponse says Application and Data; ;1 never moves to the destination's
 * context and exten, so no Newexten there, and everything showing ;1 (or a queue member's leg, which takes the
 * caller's exten) shows the customer's context and number instead; and ;1, hung up by pbx_outgoing_exec rather
 * than at the end of a dialplan, sends no SoftHangupRequest.
 */
export function asApplicationOriginate(frames: readonly string[], target: AsApplication): string[] {
  const { number, context, exten } = target;
  const isCustomerOne = (frame: string) => role(new Map(pairs(frame)).get('Channel') ?? '') === `Local/${number}@customers;1`;
  return frames.flatMap((frame) => {
    if (frame.startsWith('Event: OriginateResponse\r\n')) return [applicationFields(frame, target)];
    if (isCustomerOne(frame) && frame.startsWith('Event: SoftHangupRequest\r\n')) return [];
    if (isCustomerOne(frame) && frame.startsWith('Event: Newexten\r\n') && frame.includes(`\r\nContext: ${context}\r\n`)) return [];
    return [
      frame
        .replace(new RegExp(`(\\w*)Context: ${context}\\r\\n(\\w*)Exten: ${exten}\\r\\n`, 'g'), `$1Context: customers\r\n$2Exten: ${number}\r\n`)
        .replace(new RegExp(`(\\w*Exten(?:sion)?): ${exten}\\r\\n`, 'g'), `$1: ${number}\r\n`),
    ];
  });
}
