import { describe, expect, it } from 'vitest';
import type { AmiAction } from '../../src/ami/connection.js';
import { AmiInjectionError, AmiInvalidActionError } from '../../src/ami/errors.js';
import { assertSafeAction, assertSafeText } from '../../src/ami/guard.js';

const originate = (overrides: Record<string, unknown>): AmiAction =>
  ({
    action: 'Originate',
    channel: 'Local/1001@customers',
    context: 'dest',
    exten: 'echo',
    priority: 1,
    async: true,
    callerid: '"Campaign A" <5550000>',
    variable: { OB_CAMPAIGN: 'camp-1', OB_MEMBER: 'm-1' },
    ...overrides,
  }) as AmiAction;

function injectionIn(action: AmiAction): AmiInjectionError {
  try {
    assertSafeAction(action);
  } catch (error) {
    if (error instanceof AmiInjectionError) return error;
    throw error;
  }
  throw new Error('the action was accepted');
}

const BREAKERS = [
  ['CR LF', '\r\n'],
  ['a bare LF', '\n'],
  ['a bare CR', '\r'],
  ['NUL', '\0'],
] as const;

describe('the injection guard', () => {
  it('accepts the actions the transcripts sent', () => {
    expect(() => assertSafeAction(originate({}))).not.toThrow();
    expect(() => assertSafeAction({ action: 'Hangup', channel: '/^Local\\/6003@customers-.*;1$/', cause: 16 })).not.toThrow();
    expect(() => assertSafeAction({ action: 'QueuePause', queue: 'support', interface: 'Local/103@agents/n', paused: true, reason: 'lunch' })).not.toThrow();
    expect(() => assertSafeAction({ action: 'Originate', codecs: ['ulaw', 'alaw'], timeout: undefined })).not.toThrow();
  });

  describe.each(BREAKERS)('rejects %s', (_label, breaker) => {
    it('in a caller id', () => {
      const error = injectionIn(originate({ callerid: `"Eve" <555>${breaker}Action: Hangup${breaker}Channel: /.*/` }));
      expect(error.field).toBe('callerid');
      expect(error.message).toContain('callerid');
    });

    it('in a channel name', () => {
      expect(injectionIn(originate({ channel: `Local/1001@customers${breaker}` })).field).toBe('channel');
    });

    it('in a member variable value', () => {
      const error = injectionIn(originate({ variable: { OB_CAMPAIGN: 'camp-1', OB_NAME: `Doe${breaker}Action: Command${breaker}Command: core stop now` } }));
      expect(error.field).toBe('variable["OB_NAME"]');
    });

    it('in a member variable name', () => {
      expect(injectionIn(originate({ variable: { [`OB${breaker}X`]: 'v' } })).field).toBe(`variable[${JSON.stringify(`OB${breaker}X`)}]`);
    });

    it('in an item of a list value', () => {
      expect(injectionIn(originate({ codecs: ['ulaw', `alaw${breaker}`] })).field).toBe('codecs[1]');
    });

    it('in a field name', () => {
      expect(injectionIn(originate({ [`Channel${breaker}Action`]: 'x' })).field).toBe(JSON.stringify(`Channel${breaker}Action`));
    });

    it('in the action name', () => {
      expect(injectionIn({ action: `Ping${breaker}Action: Command` }).field).toBe('action');
    });
  });

  it('names the character it found', () => {
    expect(injectionIn(originate({ callerid: 'a\rb' })).message).toContain('carriage return');
    expect(injectionIn(originate({ callerid: 'a\nb' })).message).toContain('line feed');
    expect(injectionIn(originate({ callerid: 'a\0b' })).message).toContain('NUL');
  });

  it('is an AmiInvalidActionError, so callers can catch bad input as one family', () => {
    expect(injectionIn(originate({ channel: 'x\n' }))).toBeInstanceOf(AmiInvalidActionError);
  });

  it('checks single texts such as a login secret', () => {
    expect(() => assertSafeText('Secret', 'pa\r\nss')).toThrow(AmiInjectionError);
    expect(() => assertSafeText('Secret', 'pa: ss=1,2')).not.toThrow();
  });

  describe('refuses shapes the package would mangle or choke on', () => {
    const invalid = (action: Record<string, unknown>) => () => assertSafeAction(action as AmiAction);

    it('an ActionID of the caller (the connection assigns them)', () => {
      expect(invalid({ action: 'Ping', ActionID: 'mine' })).toThrow(/ActionID is assigned by the connection/);
    });

    it('a field given twice under different cases', () => {
      expect(invalid({ action: 'Originate', Channel: 'a', channel: 'b' })).toThrow(/given twice/);
    });

    it('field names that are not plain words', () => {
      expect(invalid({ action: 'Originate', 'Call erID': 'x' })).toThrow(AmiInvalidActionError);
      expect(invalid({ action: 'Originate', 'Channel: Local/1@x\r': 'x' })).toThrow(AmiInjectionError);
    });

    it('a variable whose value is not text (the package would throw, log to the console and hold the action)', () => {
      expect(invalid({ action: 'Originate', variable: { A: undefined } })).toThrow(/variable\["A"\] is not a string/);
      expect(invalid({ action: 'Originate', variable: { A: 1 } })).toThrow(AmiInvalidActionError);
    });

    it("a variable name that is empty or holds '='", () => {
      expect(invalid({ action: 'Originate', variable: { 'A=B': 'c' } })).toThrow(/holds '='/);
      expect(invalid({ action: 'Originate', variable: { '': 'c' } })).toThrow(AmiInvalidActionError);
    });

    it('non-finite numbers, nested objects and missing action names', () => {
      expect(invalid({ action: 'Originate', timeout: Number.NaN })).toThrow(/finite/);
      expect(invalid({ action: 'Originate', variable: { A: { B: 'c' } } })).toThrow(AmiInvalidActionError);
      expect(invalid({ action: 'Originate', when: new Date() })).toThrow(AmiInvalidActionError);
      expect(invalid({ action: 'Originate', codecs: [1] })).toThrow(AmiInvalidActionError);
      expect(invalid({ action: '' })).toThrow(/no name/);
    });
  });
});
