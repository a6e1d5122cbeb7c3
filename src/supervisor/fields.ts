import { patterned, TECH_RESOURCE, text, type Problems } from '../validate.js';

/**
 * The names a supervisor command hands to Asterisk, checked before anything is sent: each must mean
 * one thing to the application that reads it (Dial, ChanSpy and Originate split on commas and '&', Hangup
 * reads a leading '/' as a regular expression over every channel).
 */

const CONTEXT = /^[A-Za-z0-9_.-]{1,79}$/;
const EXTEN = /^[A-Za-z0-9_*#+.![\]-]{1,79}$/;
/** A dialplan application's name, as Asterisk registers them: letters, digits and _. */
const APPLICATION = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const QUEUE = /^[A-Za-z0-9_.-]{1,127}$/;
const AGENT = /^[A-Za-z0-9_.-]{1,79}$/;

function matching(problems: Problems, field: string, value: string | null | undefined, pattern: RegExp, shape: string): string {
  return patterned(problems, field, value, pattern, shape, { required: true }) ?? '';
}

export const fields = {
  server: (problems: Problems, value: string) => matching(problems, 'server', value, /^\S+$/, 'a PBX server name'),
  channel: (problems: Problems, field: string, value: string) =>
    matching(problems, field, value, TECH_RESOURCE, 'a channel name as Asterisk shows it (e.g. PJSIP/2001-0000002a), without spaces or commas'),
  endpoint: (problems: Problems, field: string, value: string | null | undefined) =>
    matching(problems, field, value, TECH_RESOURCE, 'an endpoint as Asterisk dials it (TECH/resource, e.g. PJSIP/2001), without spaces, commas or &'),
  context: (problems: Problems, field: string, value: string) => matching(problems, field, value, CONTEXT, 'a dialplan context name'),
  exten: (problems: Problems, field: string, value: string) => matching(problems, field, value, EXTEN, 'a dialplan extension (digits, letters, * # +)'),
  application: (problems: Problems, field: string, value: string) => matching(problems, field, value, APPLICATION, 'a dialplan application name (e.g. Wait)'),
  queue: (problems: Problems, field: string, value: string) => matching(problems, field, value, QUEUE, 'a queue name'),
  agent: (problems: Problems, field: string, value: string) => matching(problems, field, value, AGENT, 'an agent id (as in agents.conf)'),
  /** Free text Asterisk only stores or shows (a pause reason, a member name, a caller id): one line. */
  label: (problems: Problems, field: string, value: string | null | undefined) => text(problems, field, value, { max: 80 }) ?? undefined,
};


