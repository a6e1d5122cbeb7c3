import type { Change, Channel } from '../../src/live/state.js';

/** A channel up on a trunk as the live state holds it: what Asterisk's Dial(PJSIP/<number>@<trunk>) creates. */
export function trunkChannel(server: string, name: string, uniqueid: string): Channel {
  return {
    server,
    uniqueid,
    linkedid: uniqueid,
    name,
    state: 6,
    stateDesc: 'Up',
    callerIdNum: '',
    callerIdName: '',
    connectedLineNum: '',
    connectedLineName: '',
    context: 'from-carrier',
    exten: 's',
    priority: 1,
    application: 'Dial',
    applicationData: '',
    bridgeId: null,
    hangupCause: null,
    hangupCauseText: null,
    createdAt: null,
    answeredAt: null,
    accountCode: '',
    language: 'en',
  };
}

export const created = (channel: Channel): Change => ({ kind: 'CREATED', entity: 'channel', key: channel.uniqueid, value: channel });
export const removed = (channel: Channel): Change => ({ kind: 'REMOVED', entity: 'channel', key: channel.uniqueid, value: channel });
