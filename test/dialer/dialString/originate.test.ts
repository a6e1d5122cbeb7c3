import { describe, expect, it } from 'vitest';
import { OriginateFieldError } from '../../../src/dialer/dialString/originateFieldError.js';
import { prepareOriginate, type OriginateSources } from '../../../src/dialer/dialString/originate.js';
import { variablesOfHeader } from './asteriskArgs.js';

const sources: OriginateSources = {
  plan: {
    techName: 'PJSIP',
    trunkName: 'carrier',
    dialStringTemplate: null,
    dialTimeoutMs: 25_000,
    callerId: '"Campaign A" <5550000>',
    codecs: ['ulaw', 'alaw'],
    earlyMedia: false,
    variables: { SOURCE: 'plan', PLAN_ONLY: 'p' },
    sipHeaders: false,
  },
  destination: { type: 'APPLICATION', context: null, exten: null, priority: null, application: 'Queue', data: 'sales,,,,60', variables: { SOURCE: 'destination' } },
  campaign: { id: 'campaign-1', variables: { SOURCE: 'campaign' } },
  dialList: { id: 'list-1', name: 'May leads', variables: { SOURCE: 'dialList', LIST_ONLY: 'l' } },
  member: { id: 'member-1', externalKey: 'crm-42', variables: { SOURCE: 'member' } },
  number: { slot: 2, number: '+34600111222' },
  dialing: { id: 'dialing-1', runId: 'run-1', tryCount: 3 },
};

function withPlan(plan: Partial<OriginateSources['plan']>): OriginateSources {
  return { ...sources, plan: { ...sources.plan, ...plan } };
}

function refusal(build: () => unknown): OriginateFieldError {
  try {
    build();
  } catch (error) {
    if (error instanceof OriginateFieldError) return error;
    throw error;
  }
  throw new Error('expected an OriginateFieldError');
}

describe('the dial string', () => {
  it('is TECH/number@trunk, or TECH/number without a trunk, as jade builds it', () => {
    expect(prepareOriginate(sources).dialString).toBe('PJSIP/+34600111222@carrier');
    expect(prepareOriginate(withPlan({ trunkName: null })).dialString).toBe('PJSIP/+34600111222');
  });

  it("is the plan's template with {number}, {tech} and {trunk} replaced when it has one", () => {
    expect(prepareOriginate(withPlan({ dialStringTemplate: 'Local/{number}@customers/n' })).fields.Channel).toBe('Local/+34600111222@customers/n');
    expect(prepareOriginate(withPlan({ dialStringTemplate: '{tech}/{number}@{trunk}' })).dialString).toBe('PJSIP/+34600111222@carrier');
  });

  it('is refused when the template wants a trunk the plan lacks, or the result is no TECH/resource', () => {
    expect(refusal(() => prepareOriginate(withPlan({ trunkName: null, dialStringTemplate: '{tech}/{number}@{trunk}' }))).field).toBe('Channel');
    expect(refusal(() => prepareOriginate({ ...sources, number: { slot: 2, number: '1,2' } })).message).toMatch(/commas/);
    expect(refusal(() => prepareOriginate(withPlan({ dialStringTemplate: `Local/{number}@${'x'.repeat(250)}` }))).message).toMatch(/255/);
  });

  it('is refused at dial time when a template or trunk stored before the rules would have the PBX dial a URI or an address', () => {
    const uri = refusal(() => prepareOriginate(withPlan({ dialStringTemplate: '{tech}/{trunk}/sip:{number}@gw:5060' })));
    expect([uri.field, uri.message]).toEqual(['Channel', expect.stringMatching(/^the dial string template "\{tech\}\/\{trunk\}\/sip:\{number\}@gw:5060" must be TECH\/resource .*fix the plan or the trunk$/)]);
    expect(refusal(() => prepareOriginate(withPlan({ techName: 'IAX2', dialStringTemplate: '{tech}/10.1.2.3/{number}' }))).message).toMatch(/not an address: fix the plan or the trunk$/);
    expect(refusal(() => prepareOriginate(withPlan({ techName: 'IAX2', trunkName: '192.168.0.10' }))).message).toBe(
      'the trunk "192.168.0.10" must be the name of an endpoint (letters, digits, _ . -), not an address: fix the plan or the trunk',
    );
  });
});

describe('the other Originate fields', () => {
  it('carry the timeout, caller id, codecs and the application destination', () => {
    const { fields } = prepareOriginate(sources);
    expect(fields).toMatchObject({ Timeout: 25_000, CallerID: '"Campaign A" <5550000>', Codecs: 'ulaw,alaw', Application: 'Queue', Data: 'sales,,,,60' });
    expect(fields).not.toHaveProperty('Earlymedia');
  });

  it('leave out an unset caller id and empty codecs, and ask for early media only when the plan does', () => {
    const { fields } = prepareOriginate(withPlan({ callerId: null, codecs: [], earlyMedia: true }));
    expect(fields).not.toHaveProperty('CallerID');
    expect(fields).not.toHaveProperty('Codecs');
    expect(fields.Earlymedia).toBe('true');
  });

  it('send an extension destination as Context, Exten and Priority (1 when unset)', () => {
    const extension = { type: 'EXTENSION' as const, context: 'dest', exten: 'queue-sales', priority: null, application: null, data: null, variables: {} };
    expect(prepareOriginate({ ...sources, destination: extension }).fields).toMatchObject({ Context: 'dest', Exten: 'queue-sales', Priority: '1' });
    expect(prepareOriginate({ ...sources, destination: { ...extension, priority: 'start' } }).fields).toMatchObject({ Priority: 'start' });
    expect(refusal(() => prepareOriginate({ ...sources, destination: { ...extension, context: null } })).field).toBe('Context');
  });

  it('park an answered call with Park and no data', () => {
    const park = { ...sources.destination, application: 'Park', data: null };
    expect(prepareOriginate({ ...sources, destination: park }).fields).toMatchObject({ Application: 'Park', Data: '' });
  });
});

describe('the channel variables', () => {
  it('merge plan, destination, campaign, dial list and member, the later winning', () => {
    const { variables } = prepareOriginate(sources);
    expect(variables).toMatchObject({ SOURCE: 'member', PLAN_ONLY: 'p', LIST_ONLY: 'l' });
  });

  it('carry the ids the dialplan finds the call by, which no resource can override', () => {
    const spoofing = { ...sources, member: { ...sources.member, variables: { SB_DIALING_ID: 'forged' } } };
    expect(prepareOriginate(spoofing).variables).toMatchObject({
      SB_CAMPAIGN_ID: 'campaign-1',
      SB_RUN_ID: 'run-1',
      SB_DIALING_ID: 'dialing-1',
      SB_DIAL_LIST_ID: 'list-1',
      SB_DIAL_LIST_NAME: 'May leads',
      SB_MEMBER_ID: 'member-1',
      SB_MEMBER_KEY: 'crm-42',
      SB_NUMBER_SLOT: '2',
      SB_NUMBER: '+34600111222',
      SB_TRY: '3',
    });
    expect(prepareOriginate({ ...sources, member: { ...sources.member, externalKey: null } }).variables).not.toHaveProperty('SB_MEMBER_KEY');
  });

  it("reach the channel exactly as written, commas, quotes and backslashes included, under Asterisk's own splitting", () => {
    const awkward = {
      NOTE: 'call after 5, ask for "Ana"',
      PATH: 'C:\\temp\\x',
      SMUGGLE: 'x,SB_DIALING_ID=forged',
      BRACKETS: '(a,b] [c',
      EMPTY: '',
      EQUALS: 'a=b=c',
    };
    const prepared = prepareOriginate({ ...sources, member: { ...sources.member, variables: awkward } });
    const received = Object.entries(prepared.fields.Variable).map(([name, value]) => variablesOfHeader(`${name}=${value}`));
    expect(Object.assign({}, ...received)).toEqual(prepared.variables);
    expect(prepared.variables).toMatchObject(awkward);
    expect(prepared.fields.Variable.NOTE).toBe('call after 5\\, ask for \\"Ana\\"');
  });

  it('are refused, naming the variable, when a line would be too long for Asterisk', () => {
    const long = { ...sources, dialList: { ...sources.dialList, variables: { ADDRESS: 'x'.repeat(1000) + ',,,,,,,,,,' } } };
    const error = refusal(() => prepareOriginate(long));
    expect(error.field).toBe('Variable.ADDRESS');
    expect(error.message).toMatch(/1022/);
  });

  it('are refused when they are more than one Originate carries', () => {
    const many = Object.fromEntries(Array.from({ length: 110 }, (_, index) => [`V${index}`, 'x']));
    expect(refusal(() => prepareOriginate({ ...sources, campaign: { ...sources.campaign, variables: many } })).field).toBe('Variable');
  });

  it('are refused, naming the source, when a stored map is not names to texts', () => {
    expect(refusal(() => prepareOriginate({ ...sources, plan: { ...sources.plan, variables: [] } })).field).toBe('plan.variables');
    expect(refusal(() => prepareOriginate({ ...sources, campaign: { ...sources.campaign, variables: { COUNT: 3 } } })).field).toBe('Variable.COUNT');
    expect(refusal(() => prepareOriginate({ ...sources, campaign: { ...sources.campaign, variables: { 'BAD NAME': 'x' } } })).field).toBe('Variable.BAD NAME');
  });
});

describe("the call's SIP headers", () => {
  const withHeaders = (extra: Partial<OriginateSources> = {}) => ({ ...withPlan({ sipHeaders: true }), ...extra });
  const headersOf = (fields: Record<string, string>) => Object.fromEntries(Object.entries(fields).filter(([name]) => name.startsWith('PJSIP_HEADER(')));

  it("carry the member's and its list's variables as X- headers on a PJSIP call, the member's winning, and read back by Asterisk as written", () => {
    const member = { ...sources.member, variables: { SOURCE: 'member', CRM_ID: 'A-17, "vip"' } };
    const { fields } = prepareOriginate(withHeaders({ member }));
    expect(headersOf(fields.Variable)).toEqual({
      'PJSIP_HEADER(add,X-SOURCE)': 'member',
      'PJSIP_HEADER(add,X-LIST_ONLY)': 'l',
      'PJSIP_HEADER(add,X-CRM_ID)': 'A-17\\, \\"vip\\"',
    });
    // As man_do_variable_value splits the Variable line: the comma inside PJSIP_HEADER(...) does not cut it.
    expect(variablesOfHeader('PJSIP_HEADER(add,X-CRM_ID)=' + (fields.Variable['PJSIP_HEADER(add,X-CRM_ID)'] as string))).toEqual({ 'PJSIP_HEADER(add,X-CRM_ID)': 'A-17, "vip"' });
    // The plan's, destination's and campaign's variables stay channel variables only.
    expect(fields.Variable['PJSIP_HEADER(add,X-PLAN_ONLY)']).toBeUndefined();
  });

  it('are not sent unless the plan says so, nor on a call through a Local channel, whose dialplan has the variables itself', () => {
    expect(headersOf(prepareOriginate(sources).fields.Variable)).toEqual({});
    expect(headersOf(prepareOriginate(withPlan({ sipHeaders: true, dialStringTemplate: 'Local/{number}@outbound' })).fields.Variable)).toEqual({});
  });

  it('are refused, naming the variable, when a value holds a control character a header cannot carry', () => {
    const member = { ...sources.member, variables: { NOTE: 'first\u0007bell' } };
    const error = refusal(() => prepareOriginate(withHeaders({ member })));
    expect([error.field, error.message]).toEqual(['Variable.NOTE', 'the variable NOTE holds a control character, which a SIP header (X-NOTE) cannot carry']);
  });
});
