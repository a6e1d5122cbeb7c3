import { describe, expect, it } from 'vitest';
import { separateArgs, variablesOfHeader } from './asteriskArgs.js';

describe("the port of Asterisk's argument splitter the variable tests rely on", () => {
  it('splits at commas outside quotes, parentheses and brackets, dropping the quotes', () => {
    expect(separateArgs('a,b')).toEqual(['a', 'b']);
    expect(separateArgs('"a,b",c')).toEqual(['a,b', 'c']);
    expect(separateArgs('x(a,b),[c,d],e')).toEqual(['x(a,b)', '[c,d]', 'e']);
    expect(separateArgs('a,')).toEqual(['a', '']);
  });

  it('takes the character after a backslash literally and drops the backslash', () => {
    expect(separateArgs('a\\,b,c')).toEqual(['a,b', 'c']);
    expect(separateArgs('a\\\\b\\"')).toEqual(['a\\b"']);
  });

  it('shows why a raw comma cannot be sent: it sets a variable of its own', () => {
    expect(variablesOfHeader('NOTE=x,SB_DIALING_ID=forged')).toEqual({ NOTE: 'x', SB_DIALING_ID: 'forged' });
  });
});
