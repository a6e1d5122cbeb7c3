import { describe, expect, it } from 'vitest';
import { classifyOutcome } from '../../../src/dialer/outcome/classify.js';
import { dialResultText } from '../../../src/dialer/outcome/dialResult.js';
import { hangupCauseText } from '../../../src/dialer/outcome/hangupCause.js';

describe('an answered call', () => {
  it('is ANSWERED whatever cause ended it later', () => {
    expect(classifyOutcome({ dialResult: 4, hangupCause: 16 })).toBe('ANSWERED');
    expect(classifyOutcome({ dialResult: 4, hangupCause: 17 })).toBe('ANSWERED');
  });

  it('is MACHINE when AMD said so, and ABANDONED when no agent took it', () => {
    expect(classifyOutcome({ dialResult: 4, hangupCause: 16, machine: true })).toBe('MACHINE');
    expect(classifyOutcome({ dialResult: 4, hangupCause: 16, abandoned: true })).toBe('ABANDONED');
  });
});

describe('an unanswered call', () => {
  it('goes by the customer cause where it is telling, over the Reason', () => {
    expect(classifyOutcome({ dialResult: 3, hangupCause: 17 })).toBe('BUSY');
    expect(classifyOutcome({ dialResult: 1, hangupCause: 21 })).toBe('BUSY');
    expect(classifyOutcome({ dialResult: 0, hangupCause: 20 })).toBe('NO_ANSWER');
    expect(classifyOutcome({ dialResult: 1, hangupCause: 28 })).toBe('UNALLOCATED');
    expect(classifyOutcome({ dialResult: 0, hangupCause: 41 })).toBe('CONGESTION');
  });

  it('goes by the Reason when the cause says nothing (normal clearing, 0, none)', () => {
    expect(classifyOutcome({ dialResult: 5, hangupCause: 16 })).toBe('BUSY');
    expect(classifyOutcome({ dialResult: 8, hangupCause: 0 })).toBe('CONGESTION');
    expect(classifyOutcome({ dialResult: 3, hangupCause: null })).toBe('NO_ANSWER');
    expect(classifyOutcome({ dialResult: 1, hangupCause: 16 })).toBe('NO_ANSWER');
  });

  it('is FAILED when nothing says more, or no OriginateResponse came at all', () => {
    expect(classifyOutcome({ dialResult: 0, hangupCause: 0 })).toBe('FAILED');
    expect(classifyOutcome({ dialResult: 0, hangupCause: 66 })).toBe('FAILED');
    expect(classifyOutcome({ dialResult: null, hangupCause: null })).toBe('FAILED');
  });

  it('is CANCELLED when the dialer hung it up itself', () => {
    expect(classifyOutcome({ dialResult: 1, hangupCause: 16, cancelled: true })).toBe('CANCELLED');
  });
});

describe('result texts', () => {
  it("are jade's for dial results, with a fallback naming the code", () => {
    expect(dialResultText(1)).toBe('Other end has hungup');
    expect(dialResultText(1100)).toBe('Indicated to a channel in record to stop recording and discard the file.');
    expect(dialResultText(77)).toBe('Dial result 77');
  });

  it("are Asterisk's Cause-txt for hangup causes, Unknown for the rest", () => {
    expect(hangupCauseText(16)).toBe('Normal Clearing');
    expect(hangupCauseText(21)).toBe('Call Rejected');
    expect(hangupCauseText(0)).toBe('Unknown');
    expect(hangupCauseText(4)).toBe('Unknown');
  });
});
