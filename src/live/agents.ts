import type { AmiEvent } from '../ami/message.js';
import { epochSecondsMs, floorToSecond, text } from './fields.js';
import { agentIdOfMember } from './queueMembers.js';
import { callerKey, type Agent, type AgentStatus, type LiveState } from './state.js';
import type { Tx } from './tx.js';

/**
 * app_agent_pool agents as Asterisk 22 reports them (agents-login-queue.jsonl): an agent logs in with
 * AgentLogin on a channel that stays up as its session; a queue reaches it through a Local member running
 * AgentRequest whose state interface is the device `Agent:<id>`, so AgentCalled/AgentConnect name the
 * agent-request Local channel, not the session. The Agents list calls an agent ON_CALL exactly when its
 * session channel has a BRIDGEPEER, so the VarSet of that variable is what moves ON_CALL and IDLE here.
 */

const LIST_STATUS: Readonly<Record<string, AgentStatus>> = {
  AGENT_LOGGEDOFF: 'LOGGED_OFF',
  AGENT_IDLE: 'IDLE',
  AGENT_ONCALL: 'ON_CALL',
};

const NO_CALL = { talkingTo: null, callStarted: null, queue: null, callerChannel: null, callerUniqueid: null, ringing: false };

function store(tx: Tx, agent: Agent): void {
  const wrapUp = agent.status === 'IDLE' && agent.deviceState === 'INUSE' && !agent.ringing;
  tx.put('agent', agent.id, { ...agent, wrapUp });
}

function agentOrNew(tx: Tx, id: string): Agent {
  return (
    tx.get('agent', id) ?? {
      server: tx.server,
      id,
      name: '',
      status: 'LOGGED_OFF',
      loginTime: null,
      channel: null,
      channelUniqueid: null,
      ...NO_CALL,
      deviceState: tx.get('device', `Agent:${id}`)?.state ?? null,
      wrapUp: false,
    }
  );
}

/**
 * Whether an agent the events saw being offered a call is still being offered it: its caller still waits in the
 * queue. The Agents list says AGENT_IDLE for an agent whose member rings (an offer waiting for the agent's
 * acknowledgement rings for seconds), so the list alone would end the offer, and show its INUSE device as wrap-up.
 */
function offerGoesOn(agent: Agent, status: AgentStatus, waits: (callerKey: string) => boolean): boolean {
  return status === 'IDLE' && agent.ringing && agent.queue !== null && agent.callerUniqueid !== null && waits(callerKey(agent.queue, agent.callerUniqueid));
}

/** An Agents list item. Its CallStarted line ends with a bare LF, which parseFrame already splits on. */
export function onAgentsItem(tx: Tx, event: AmiEvent): void {
  const previous = agentOrNew(tx, text(event, 'agent'));
  const status = LIST_STATUS[text(event, 'status')] ?? 'LOGGED_OFF';
  if (status === 'LOGGED_OFF') {
    store(tx, { ...previous, name: text(event, 'name'), status, loginTime: null, channel: null, channelUniqueid: null, ...NO_CALL });
    return;
  }
  const talkingTo = text(event, 'talkingtochan');
  const keepsCall = status === 'ON_CALL' && previous.status === 'ON_CALL';
  const keepsOffer = offerGoesOn(previous, status, (key) => tx.get('queueCaller', key) !== undefined);
  store(tx, {
    ...previous,
    ...(keepsCall || keepsOffer ? {} : NO_CALL),
    name: text(event, 'name'),
    status,
    loginTime: epochSecondsMs(event, 'loggedintime'),
    channel: text(event, 'channel'),
    channelUniqueid: text(event, 'uniqueid'),
    talkingTo: talkingTo === '' ? null : talkingTo,
    callStarted: epochSecondsMs(event, 'callstarted'),
    ringing: keepsOffer,
  });
}

export function onAgentLogin(tx: Tx, event: AmiEvent): void {
  const agent = agentOrNew(tx, text(event, 'agent'));
  store(tx, {
    ...agent,
    ...NO_CALL,
    status: 'IDLE',
    // Whole seconds, as the Agents list's LoggedInTime says it.
    loginTime: floorToSecond(tx.at(event)),
    channel: text(event, 'channel'),
    channelUniqueid: text(event, 'uniqueid'),
  });
}

export function onAgentLogoff(tx: Tx, event: AmiEvent): void {
  const agent = tx.get('agent', text(event, 'agent'));
  if (agent === undefined) return;
  store(tx, { ...agent, ...NO_CALL, status: 'LOGGED_OFF', loginTime: null, channel: null, channelUniqueid: null });
}

/** VarSet BRIDGEPEER on an agent's session channel: set when bridged with a caller, emptied when the call ends. */
export function onBridgePeer(tx: Tx, event: AmiEvent): void {
  const uniqueid = text(event, 'uniqueid');
  // Bridging sets BRIDGEPEER on every channel; only a session channel (running AgentLogin) can be an agent's.
  const application = tx.get('channel', uniqueid)?.application;
  if (application !== undefined && application !== 'AgentLogin') return;
  const agent = [...tx.all('agent')].find((candidate) => candidate.channelUniqueid === uniqueid);
  if (agent === undefined) return;
  const peer = text(event, 'value');
  if (peer === '') {
    store(tx, { ...agent, ...NO_CALL, status: 'IDLE' });
    return;
  }
  store(tx, {
    ...agent,
    status: 'ON_CALL',
    talkingTo: peer,
    ringing: false,
    callStarted: agent.callStarted ?? floorToSecond(tx.at(event)),
  });
}

function memberAgent(tx: Tx, event: AmiEvent): Agent | undefined {
  const id = agentIdOfMember(tx, text(event, 'queue'), text(event, 'interface'));
  const agent = id === null ? undefined : tx.get('agent', id);
  return agent?.status === 'LOGGED_OFF' ? undefined : agent;
}

function queueCall(event: AmiEvent): Pick<Agent, 'queue' | 'callerChannel' | 'callerUniqueid'> {
  return { queue: text(event, 'queue'), callerChannel: text(event, 'channel'), callerUniqueid: text(event, 'uniqueid') };
}

export function onAgentCalled(tx: Tx, event: AmiEvent): void {
  const agent = memberAgent(tx, event);
  if (agent !== undefined && agent.status !== 'ON_CALL') store(tx, { ...agent, ...queueCall(event), ringing: true });
}

export function onAgentRingNoAnswer(tx: Tx, event: AmiEvent): void {
  const agent = memberAgent(tx, event);
  if (agent?.ringing && agent.callerUniqueid === text(event, 'uniqueid')) {
    store(tx, { ...agent, queue: null, callerChannel: null, callerUniqueid: null, ringing: false });
  }
}

export function onAgentConnect(tx: Tx, event: AmiEvent): void {
  const agent = memberAgent(tx, event);
  if (agent === undefined) return;
  store(tx, {
    ...agent,
    ...queueCall(event),
    status: 'ON_CALL',
    ringing: false,
    callStarted: agent.callStarted ?? floorToSecond(tx.at(event)),
  });
}

export function onAgentComplete(tx: Tx, event: AmiEvent): void {
  const agent = memberAgent(tx, event);
  if (agent !== undefined) store(tx, { ...agent, ...NO_CALL, status: 'IDLE' });
}

/**
 * A caller left the queue: offers of its call to agents end (ringall sends no AgentRingNoAnswer to the
 * agents that lost; answered-to-queue.jsonl lines 83-91 show only DialEnd CANCEL and QueueCallerLeave).
 */
export function onQueueCallerLeft(tx: Tx, event: AmiEvent): void {
  const uniqueid = text(event, 'uniqueid');
  for (const agent of [...tx.all('agent')]) {
    if (agent.ringing && agent.callerUniqueid === uniqueid) {
      store(tx, { ...agent, queue: null, callerChannel: null, callerUniqueid: null, ringing: false });
    }
  }
}

/** The `Agent:<id>` device changed: the agent's device state (and so its wrap-up) follows. */
export function onAgentDeviceState(tx: Tx, id: string, state: string): void {
  const agent = tx.get('agent', id);
  if (agent !== undefined) store(tx, { ...agent, deviceState: state });
}

/**
 * A resynced agent still on the same call keeps the queue call the events told us about; one still being
 * offered a call whose caller still waits (in the resynced queues) keeps the offer.
 */
export function carryAgent(old: Agent, fresh: Agent, resynced: LiveState): Agent {
  const sameCall = fresh.status === 'ON_CALL' && old.status === 'ON_CALL' && old.talkingTo === fresh.talkingTo;
  if (sameCall) return { ...fresh, queue: old.queue, callerChannel: old.callerChannel, callerUniqueid: old.callerUniqueid };
  if (offerGoesOn(old, fresh.status, (key) => resynced.queueCaller.has(key))) {
    return { ...fresh, queue: old.queue, callerChannel: old.callerChannel, callerUniqueid: old.callerUniqueid, ringing: true, wrapUp: false };
  }
  return fresh;
}
