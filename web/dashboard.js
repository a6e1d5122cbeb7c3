// @ts-check
// The supervisor's dashboard: campaigns and their controls, runs, attempts and scheduled calls; live calls and what a
// supervisor does to them; queue members and agents. Every control is the API's own mutation, every list the API's
// own query kept live by its subscriptions. It needs SUPERVISOR rights.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, credential } from './api.js';
import { act, useLiveMap, useReconnects } from './live.js';
import { mountPage } from './session.js';
import { duration, html, idOf, LinkBadge, percent, useNow } from './ui.js';

/**
 * @typedef {import('./api.js').Api} Api
 * @typedef {{ text: string, tone: 'ok' | 'bad' }} Notice
 * @typedef {(text: string, tone?: 'ok' | 'bad') => void} Tell
 * @typedef {{ campaignId: string, status: string, liveDialings: number, attempts: number, answerRate: number | null, abandonRate: number | null,
 *   hold: { detail: string } | null, members: { waiting: number, dialing: number, finished: number },
 *   campaign: { name: string, boostPercent: number, plan: { dialMode: string } } | null }} Progress
 * @typedef {{ server: string, uniqueid: string, linkedid: string, name: string, stateDesc: string, callerIdNum: string, callerIdName: string,
 *   connectedLineNum: string, application: string, applicationData: string, createdAt: string | null }} Channel
 * @typedef {{ interface: string, name: string, statusName: string, paused: boolean, pausedReason: string, callsTaken: number, inCall: boolean }} QueueMember
 * @typedef {{ server: string, name: string, members: QueueMember[], callers: { uniqueid: string, callerIdNum: string, waitingSince: string | null }[] }} Queue
 * @typedef {{ server: string, id: string, name: string, status: string, queue: string | null, talkingTo: string | null, wrapUp: boolean, ringing: boolean }} Agent
 */

const PROGRESS = 'campaignId status liveDialings attempts answerRate abandonRate hold { detail } members { waiting dialing finished } campaign { name boostPercent plan { dialMode } }';
const CHANNEL = 'server uniqueid linkedid name stateDesc callerIdNum callerIdName connectedLineNum application applicationData createdAt';
const QUEUE = 'server name members { interface name statusName paused pausedReason callsTaken inCall } callers { uniqueid callerIdNum waitingSince }';
const AGENT = 'server id name status queue talkingTo wrapUp ringing';

/**
 * Runs an action, telling how it went: done, or the API's own words for why not.
 * @param {Tell} tell
 * @param {string} done
 * @param {() => Promise<unknown>} action
 */
async function attempt(tell, done, action) {
  try {
    await action();
    tell(done, 'ok');
  } catch (error) {
    tell(error instanceof ApiError ? error.message : 'The server could not be reached', 'bad');
  }
}

/** @param {{ api: Api, tell: Tell }} props */
function Campaigns({ api, tell }) {
  const campaigns = useLiveMap(api, {
    read: async () => {
      const data = /** @type {{ campaigns: { edges: { node: { progress: Progress | null } }[] } }} */ (await api.request(`{ campaigns(first: 200) { edges { node { progress { ${PROGRESS} } } } } }`));
      return data.campaigns.edges.flatMap((edge) => (edge.node.progress ? [edge.node.progress] : []));
    },
    subscription: `subscription { campaignEvents { ${PROGRESS} } }`,
    change: (data) => ({ kind: 'UPDATED', item: /** @type {{ campaignEvents: Progress }} */ (data).campaignEvents }),
    keyOf: (progress) => progress.campaignId,
    onError: (message) => tell(message, 'bad'),
  });
  const [open, setOpen] = useState(/** @type {string | null} */ (null));
  const rows = [...campaigns.values()].filter((progress) => progress.campaign !== null).sort((a, b) => (a.campaign?.name ?? '').localeCompare(b.campaign?.name ?? ''));
  const opened = open === null ? undefined : campaigns.get(open);
  return html`<section aria-labelledby="campaigns"><h2 id="campaigns">Campaigns</h2>
    ${rows.length === 0 ? html`<p class="empty">No campaign yet.</p>` : html`<table class="grid">
      <thead><tr><th scope="col">Campaign</th><th scope="col">Status</th><th scope="col">Finished / left</th><th scope="col">Live calls</th>
        <th scope="col">Answered</th><th scope="col">Abandoned</th><th scope="col">Boost</th><th scope="col">Controls</th></tr></thead>
      <tbody>${rows.map((progress) => html`<${CampaignRow} key=${progress.campaignId} api=${api} tell=${tell} progress=${progress}
        open=${open === progress.campaignId} onOpen=${() => setOpen(open === progress.campaignId ? null : progress.campaignId)} />`)}</tbody>
    </table>`}
    ${opened ? html`<${CampaignDetails} key=${opened.campaignId} api=${api} tell=${tell} progress=${opened} />` : null}
  </section>`;
}

/** @param {{ api: Api, tell: Tell, progress: Progress, open: boolean, onOpen(): void }} props */
function CampaignRow({ api, tell, progress, open, onOpen }) {
  const campaign = /** @type {NonNullable<Progress['campaign']>} */ (progress.campaign);
  const [boost, setBoost] = useState(String(campaign.boostPercent));
  // A boost set elsewhere (another screen, the API) shows here too.
  useEffect(() => setBoost(String(campaign.boostPercent)), [campaign.boostPercent]);
  const { status } = progress;
  /** @param {'RUNNING' | 'PAUSED' | 'STOPPED'} to @param {boolean} force @param {string} done */
  const setStatus = (to, force, done) =>
    attempt(tell, `${campaign.name}: ${done}`, () => act(api, 'setCampaignStatus', { id: ['ID!', progress.campaignId], status: ['RequestedCampaignStatus!', to], force: ['Boolean', force] }));
  const running = status === 'RUNNING' || status === 'STARTING';
  const live = status !== 'STOPPED';
  return html`<tr data-testid=${`campaign-${campaign.name}`}>
    <th scope="row"><button type="button" class="link" aria-expanded=${open} onClick=${onOpen}>${campaign.name}</button></th>
    <td><span class=${`badge status ${status.toLowerCase()}`} data-testid="status">${status}</span>${progress.hold ? html`<div class="hold">${progress.hold.detail}</div>` : null}</td>
    <td>${progress.members.finished} / ${progress.members.waiting + progress.members.dialing}</td>
    <td data-testid="live-dialings">${progress.liveDialings}</td>
    <td>${percent(progress.answerRate)}</td>
    <td>${percent(progress.abandonRate)}</td>
    <td>
      <form class="inline" onSubmit=${(/** @type {SubmitEvent} */ event) => {
        event.preventDefault();
        void attempt(tell, `${campaign.name}: boost set to ${boost}%`, () => act(api, 'setCampaignBoost', { id: ['ID!', progress.campaignId], percent: ['Int!', Number(boost)] }));
      }}>
        <label class="sr-only" for=${idOf('boost', progress.campaignId)}>Boost of ${campaign.name}, percent</label>
        <input id=${idOf('boost', progress.campaignId)} type="number" inputmode="numeric" class="narrow" value=${boost} onInput=${(/** @type {InputEvent} */ event) => setBoost(/** @type {HTMLInputElement} */ (event.currentTarget).value)} />
        <button type="submit" class="quiet">Set</button>
      </form>
    </td>
    <td class="controls">
      <button type="button" disabled=${running} onClick=${() => setStatus('RUNNING', false, 'starting')}>Start</button>
      <button type="button" class="quiet" disabled=${!running} onClick=${() => setStatus('PAUSED', false, 'pausing')}>Pause</button>
      <button type="button" class="quiet" disabled=${!live} onClick=${() => setStatus('STOPPED', false, 'stopping')}>Stop</button>
      <button type="button" class="danger" disabled=${!live} onClick=${() => setStatus('STOPPED', true, 'force stopping: its live calls are hung up')}>Force stop</button>
    </td>
  </tr>`;
}

/**
 * @typedef {{ id: string, startedAt: string, stoppedAt: string | null, startedBy: string, attempts: number, outcomes: { outcome: string, count: number }[] }} Run
 * @typedef {{ id: string, endedAt: string, dialedNumber: string, outcome: string, hangupCauseText: string | null, completionCode: string | null, recordingFile: string | null }} Attempt
 * @typedef {{ id: string, name: string | null, scheduledAt: string | null, agent: string | null }} Scheduled
 */

/** @param {{ api: Api, tell: Tell, progress: Progress }} props */
function CampaignDetails({ api, tell, progress }) {
  const campaign = /** @type {NonNullable<Progress['campaign']>} */ (progress.campaign);
  const [details, setDetails] = useState(/** @type {{ runs: Run[], attempts: Attempt[], scheduled: Scheduled[] } | null} */ (null));
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let current = true;
    const query = `query($id: ID!) {
      node(id: $id) { ... on Campaign { runs { id startedAt stoppedAt startedBy attempts outcomes { outcome count } } } }
      callAttempts(last: 20, filter: { campaignId: $id }) { edges { node { id endedAt dialedNumber outcome hangupCauseText completionCode recordingFile } } }
      scheduledCalls(campaignId: $id) { __typename ... on ScheduledCallsSuccess { data { id name scheduledAt agent } } ... on Error { message } } }`;
    api
      .request(query, { id: progress.campaignId })
      .then((raw) => {
        const data = /** @type {{ node: { runs: Run[] } | null, callAttempts: { edges: { node: Attempt }[] }, scheduledCalls: { data?: Scheduled[] } }} */ (raw);
        if (current) setDetails({ runs: data.node?.runs ?? [], attempts: data.callAttempts.edges.map((edge) => edge.node).reverse(), scheduled: data.scheduledCalls.data ?? [] });
      })
      .catch((/** @type {unknown} */ error) => tell(error instanceof Error ? error.message : String(error), 'bad'));
    return () => {
      current = false;
    };
    // Read again as its attempts grow (each progress event that counts one more) and after an action here.
  }, [api, progress.campaignId, progress.attempts, reload]);

  const exportCsv = async () => {
    // The one request not made over GraphQL: the CSV export is a plain download (GET /campaigns/<id>/attempts.csv).
    try {
      const response = await fetch(`/campaigns/${encodeURIComponent(progress.campaignId)}/attempts.csv`, { headers: { authorization: `Bearer ${credential.get() ?? ''}` } });
      if (!response.ok) return tell(`The export failed: ${response.status} ${await response.text()}`, 'bad');
      const link = document.createElement('a');
      link.href = URL.createObjectURL(await response.blob());
      link.download = `attempts-${campaign.name}.csv`;
      link.click();
      // Once the download has started: revoked at once, some browsers cancel it.
      setTimeout(() => URL.revokeObjectURL(link.href), 0);
      tell(`${campaign.name}: attempts exported`, 'ok');
    } catch {
      tell('The export failed: the server could not be reached', 'bad');
    }
  };

  if (details === null) return html`<p class="empty" role="status">Reading ${campaign.name}…</p>`;
  return html`<section class="details" data-testid="campaign-details" aria-labelledby="details-title">
    <h3 id="details-title">${campaign.name} <button type="button" class="quiet" onClick=${exportCsv}>Export attempts (CSV)</button></h3>
    <h4>Runs</h4>
    <table class="grid" data-testid="runs"><thead><tr><th scope="col">Started</th><th scope="col">By</th><th scope="col">Stopped</th><th scope="col">Attempts</th><th scope="col">Outcomes</th></tr></thead>
      <tbody>${details.runs.map((run) => html`<tr key=${run.id}><td>${new Date(run.startedAt).toLocaleString()}</td><td>${run.startedBy}</td>
        <td>${run.stoppedAt ? new Date(run.stoppedAt).toLocaleString() : 'running'}</td><td>${run.attempts}</td>
        <td>${run.outcomes.map((outcome) => `${outcome.outcome} ${outcome.count}`).join(' · ') || '—'}</td></tr>`)}</tbody></table>
    <h4>Latest attempts</h4>
    ${details.attempts.length === 0 ? html`<p class="empty">None yet.</p>` : html`<table class="grid" data-testid="attempts"><thead><tr><th scope="col">Ended</th><th scope="col">Number</th>
      <th scope="col">Outcome</th><th scope="col">Cause</th><th scope="col">Completion code</th><th scope="col">Recording</th></tr></thead>
      <tbody>${details.attempts.map((row) => html`<tr key=${row.id}><td>${new Date(row.endedAt).toLocaleTimeString()}</td><td>${row.dialedNumber}</td>
        <td>${row.outcome}</td><td>${row.hangupCauseText ?? '—'}</td><td>${row.completionCode ?? '—'}</td><td>${row.recordingFile ?? '—'}</td></tr>`)}</tbody></table>`}
    <h4>Scheduled calls</h4>
    ${details.scheduled.length === 0 ? html`<p class="empty">None.</p>` : html`<table class="grid"><thead><tr><th scope="col">Member</th><th scope="col">Due</th><th scope="col">For agent</th><th scope="col"><span class="sr-only">Cancel</span></th></tr></thead>
      <tbody>${details.scheduled.map((member) => html`<tr key=${member.id}><td>${member.name ?? member.id}</td><td>${member.scheduledAt ? new Date(member.scheduledAt).toLocaleString() : '—'}</td><td>${member.agent ?? 'any'}</td>
        <td><button type="button" class="quiet" onClick=${() => attempt(tell, 'Scheduled call cancelled', () => act(api, 'cancelScheduledCall', { memberId: ['ID!', member.id] })).then(() => setReload((count) => count + 1))}>Cancel</button></td></tr>`)}</tbody></table>`}
  </section>`;
}

/** @param {{ api: Api, tell: Tell }} props */
function LiveCalls({ api, tell }) {
  const channels = useLiveMap(api, {
    read: async () => /** @type {{ channels: Channel[] }} */ (await api.request(`{ channels { ${CHANNEL} } }`)).channels,
    subscription: `subscription { channelEvents { kind channel { ${CHANNEL} } } }`,
    change: (data) => {
      const event = /** @type {{ channelEvents: { kind: 'CREATED' | 'UPDATED' | 'REMOVED', channel: Channel } }} */ (data).channelEvents;
      return { kind: event.kind, item: event.channel };
    },
    keyOf: (channel) => `${channel.server}/${channel.uniqueid}`,
    onError: (message) => tell(message, 'bad'),
  });
  const now = useNow(1000);
  const rows = [...channels.values()].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.name.localeCompare(b.name));
  return html`<section aria-labelledby="calls"><h2 id="calls">Live calls</h2>
    ${rows.length === 0 ? html`<p class="empty">No call is up.</p>` : html`<table class="grid">
      <thead><tr><th scope="col">Channel</th><th scope="col">State</th><th scope="col">Caller</th><th scope="col">Connected to</th><th scope="col">Running</th><th scope="col">Up for</th><th scope="col">Actions</th></tr></thead>
      <tbody>${rows.map((channel) => html`<${ChannelRow} key=${`${channel.server}/${channel.uniqueid}`} api=${api} tell=${tell} channel=${channel} now=${now} />`)}</tbody>
    </table>`}
  </section>`;
}

/** @param {{ api: Api, tell: Tell, channel: Channel, now: number }} props */
function ChannelRow({ api, tell, channel, now }) {
  const [redirecting, setRedirecting] = useState(false);
  const target = { server: channel.server, channel: channel.name };
  /** @param {string} field @param {string} type @param {Record<string, unknown>} input @param {string} done */
  const run = (field, type, input, done) => attempt(tell, `${channel.name}: ${done}`, () => act(api, field, { input: [type, { ...target, ...input }] }));
  /** @param {'LISTEN' | 'WHISPER' | 'BARGE'} mode */
  const spy = (mode) => run('spyOnChannel', 'SpyOnChannelInput!', { mode }, `${mode.toLowerCase()} — your phone rings`);
  return html`<tr data-testid=${`channel-${channel.name}`}>
    <th scope="row">${channel.name}<div class="hint">${channel.server}</div></th>
    <td>${channel.stateDesc}</td>
    <td>${channel.callerIdNum}${channel.callerIdName ? html` <span class="hint">${channel.callerIdName}</span>` : null}</td>
    <td>${channel.connectedLineNum || '—'}</td>
    <td>${channel.application ? `${channel.application}(${channel.applicationData})` : '—'}</td>
    <td>${channel.createdAt ? duration((now - Date.parse(channel.createdAt)) / 1000) : '—'}</td>
    <td class="controls">
      <button type="button" class="danger" onClick=${() => run('hangupChannel', 'HangupChannelInput!', {}, 'hung up')}>Hang up</button>
      <button type="button" class="quiet" onClick=${() => run('parkCall', 'ParkCallInput!', {}, 'parked')}>Park</button>
      <button type="button" class="quiet" onClick=${() => spy('LISTEN')}>Spy</button>
      <button type="button" class="quiet" onClick=${() => spy('WHISPER')}>Whisper</button>
      <button type="button" class="quiet" onClick=${() => spy('BARGE')}>Barge</button>
      <button type="button" class="quiet" aria-expanded=${redirecting} onClick=${() => setRedirecting(!redirecting)}>Redirect…</button>
      ${redirecting
        ? html`<form class="inline" onSubmit=${(/** @type {SubmitEvent} */ event) => {
            event.preventDefault();
            const form = new FormData(/** @type {HTMLFormElement} */ (event.currentTarget));
            void run('redirectChannel', 'RedirectChannelInput!', { context: String(form.get('context')), exten: String(form.get('exten')) }, 'redirected');
            setRedirecting(false);
          }}>
            <label>Context <input name="context" required class="narrow" /></label>
            <label>Extension <input name="exten" required class="narrow" /></label>
            <button type="submit">Redirect</button>
          </form>`
        : null}
    </td>
  </tr>`;
}

/** @param {{ api: Api, tell: Tell }} props */
function Queues({ api, tell }) {
  const [queues, setQueues] = useState(/** @type {Map<string, Queue>} */ (new Map()));
  // queueSummaryEvents names every queue first, then each one whose members or callers change: each is read whole then.
  useEffect(() => {
    setQueues(new Map());
    let stopped = false;
    // The newest read asked for each queue: an older answer that comes after it is dropped.
    /** @type {Map<string, number>} */
    const latest = new Map();
    let reads = 0;
    const stop = api.subscribe(
      'subscription { queueSummaryEvents { server queue } }',
      undefined,
      (data) => {
        const { server, queue } = /** @type {{ queueSummaryEvents: { server: string, queue: string } }} */ (data).queueSummaryEvents;
        const key = `${server}/${queue}`;
        const read = ++reads;
        latest.set(key, read);
        api
          .request(`query($name: String!, $server: String) { queue(name: $name, server: $server) { ${QUEUE} } }`, { name: queue, server })
          .then((answer) => {
            if (stopped || latest.get(key) !== read) return;
            const found = /** @type {{ queue: Queue | null }} */ (answer).queue;
            setQueues((before) => {
              const next = new Map(before);
              if (found) next.set(key, found);
              else next.delete(key);
              return next;
            });
          })
          .catch((/** @type {unknown} */ error) => tell(error instanceof Error ? error.message : String(error), 'bad'));
      },
      (message) => tell(message, 'bad'),
    );
    return () => {
      stopped = true;
      stop();
    };
  }, [api]);
  const rows = [...queues.values()].sort((a, b) => a.name.localeCompare(b.name) || a.server.localeCompare(b.server));
  return html`<section aria-labelledby="queues"><h2 id="queues">Queue members</h2>
    <div class="cards">${rows.map((queue) => html`<${QueueCard} key=${`${queue.server}/${queue.name}`} api=${api} tell=${tell} queue=${queue} />`)}</div>
  </section>`;
}

/** @param {{ api: Api, tell: Tell, queue: Queue }} props */
function QueueCard({ api, tell, queue }) {
  /** @param {string} field @param {string} type @param {Record<string, unknown>} input @param {string} done */
  const run = (field, type, input, done) => attempt(tell, `${queue.name}: ${done}`, () => act(api, field, { input: [type, { server: queue.server, queue: queue.name, ...input }] }));
  return html`<article class="card" data-testid=${`queue-${queue.name}`} aria-labelledby=${idOf('queue', queue.server, queue.name)}>
    <h3 id=${idOf('queue', queue.server, queue.name)}>${queue.name} <small>${queue.server}</small> <span class="hint">${queue.callers.length} waiting</span></h3>
    <table class="grid"><thead><tr><th scope="col">Member</th><th scope="col">State</th><th scope="col">Calls</th><th scope="col">Actions</th></tr></thead>
      <tbody>${queue.members.map((member) => html`<tr key=${member.interface} data-testid=${`member-${member.name}`}>
        <th scope="row">${member.name}<div class="hint">${member.interface}</div></th>
        <td>${member.paused ? html`<span class="badge status paused">paused</span> ${member.pausedReason}` : member.statusName}</td>
        <td>${member.callsTaken}</td>
        <td class="controls">
          <button type="button" class="quiet" onClick=${() => run('pauseQueueMember', 'PauseQueueMemberInput!', { interface: member.interface, paused: !member.paused, reason: member.paused ? null : 'supervisor' }, member.paused ? `${member.name} unpaused` : `${member.name} paused`)}>
            ${member.paused ? 'Unpause' : 'Pause'}</button>
          <button type="button" class="danger" onClick=${() => run('removeQueueMember', 'RemoveQueueMemberInput!', { interface: member.interface }, `${member.name} removed`)}>Remove</button>
        </td></tr>`)}</tbody></table>
    <form class="inline" onSubmit=${(/** @type {SubmitEvent} */ event) => {
      event.preventDefault();
      const element = /** @type {HTMLFormElement} */ (event.currentTarget);
      const form = new FormData(element);
      const name = String(form.get('memberName') ?? '').trim();
      void run('addQueueMember', 'AddQueueMemberInput!', { interface: String(form.get('interface') ?? '').trim(), memberName: name === '' ? null : name }, 'member added').then(() => element.reset());
    }}>
      <label>Interface <input name="interface" required placeholder="PJSIP/2001" /></label>
      <label>Name <input name="memberName" /></label>
      <button type="submit">Add member</button>
    </form>
  </article>`;
}

/** @param {{ api: Api, tell: Tell }} props */
function Agents({ api, tell }) {
  const agents = useLiveMap(api, {
    read: async () => /** @type {{ agents: Agent[] }} */ (await api.request(`{ agents { ${AGENT} } }`)).agents,
    subscription: `subscription { agentEvents { kind agent { ${AGENT} } } }`,
    change: (data) => {
      const event = /** @type {{ agentEvents: { kind: 'CREATED' | 'UPDATED' | 'REMOVED', agent: Agent } }} */ (data).agentEvents;
      return { kind: event.kind, item: event.agent };
    },
    keyOf: (agent) => `${agent.server}/${agent.id}`,
    onError: (message) => tell(message, 'bad'),
  });
  const rows = [...agents.values()].sort((a, b) => a.id.localeCompare(b.id));
  return html`<section aria-labelledby="agents"><h2 id="agents">Agents</h2>
    ${rows.length === 0 ? html`<p class="empty">No agent is known.</p>` : html`<table class="grid"><thead><tr><th scope="col">Agent</th><th scope="col">State</th><th scope="col">Queue</th><th scope="col">Talking to</th><th scope="col"><span class="sr-only">Log off</span></th></tr></thead>
      <tbody>${rows.map((agent) => html`<tr key=${`${agent.server}/${agent.id}`} data-testid=${`agent-${agent.id}`}>
        <th scope="row">${agent.name} <span class="hint">${agent.id}</span></th>
        <td>${agent.ringing ? 'ringing' : agent.wrapUp ? 'wrap-up' : agent.status}</td>
        <td>${agent.queue ?? '—'}</td><td>${agent.talkingTo ?? '—'}</td>
        <td><button type="button" class="danger" disabled=${agent.status === 'LOGGED_OFF'}
          onClick=${() => attempt(tell, `${agent.name} logged off`, () => act(api, 'logOffAgent', { input: ['LogOffAgentInput!', { server: agent.server, agent: agent.id }] }))}>Log off</button></td>
      </tr>`)}</tbody></table>`}
  </section>`;
}

/** @param {{ api: Api, link: import('./api.js').LinkState, onSignOut(): void }} props */
function Dashboard({ api, link, onSignOut }) {
  const [notice, setNotice] = useState(/** @type {Notice | null} */ (null));
  const [me, setMe] = useState(/** @type {{ name: string, role: string } | null} */ (null));
  // Read again after a reconnect: a role changed meanwhile closes the socket (4000) and it comes back with the new one.
  const reconnects = useReconnects(api);
  useEffect(() => {
    api
      .request('{ me { name role } }')
      .then((data) => setMe(/** @type {{ me: { name: string, role: string } }} */ (data).me))
      .catch((/** @type {unknown} */ error) => setNotice({ text: error instanceof Error ? error.message : String(error), tone: 'bad' }));
  }, [api, reconnects]);
  /** @type {Tell} */
  const tell = (text, tone = 'ok') => setNotice({ text, tone });
  if (me !== null && me.role === 'VIEWER') {
    return html`<main class="index"><h1>Switchboard dashboard</h1><p class="notice" role="alert">${me.name} is a VIEWER: the dashboard needs SUPERVISOR rights. The <a href="/wallboard">wallboard</a> needs none.</p>
      <button type="button" onClick=${onSignOut}>Sign in as someone else</button></main>`;
  }
  return html`<div class="board">
    <header>
      <h1>Switchboard</h1>
      <nav aria-label="Sections"><a href="#campaigns">Campaigns</a> <a href="#calls">Live calls</a> <a href="#queues">Queues</a> <a href="#agents">Agents</a> <a href="/wallboard">Wallboard</a></nav>
      <span class="who">${me ? `${me.name} (${me.role})` : ''}</span>
      <${LinkBadge} state=${link} />
      <button type="button" class="quiet" onClick=${onSignOut}>Sign out</button>
    </header>
    <p class=${`notice-bar ${notice?.tone ?? ''}`} role=${notice?.tone === 'bad' ? 'alert' : 'status'} data-testid="notice">${notice?.text ?? ''}</p>
    <main>
      <${Campaigns} api=${api} tell=${tell} />
      <${LiveCalls} api=${api} tell=${tell} />
      <${Queues} api=${api} tell=${tell} />
      <${Agents} api=${api} tell=${tell} />
    </main>
  </div>`;
}

mountPage({ title: 'Switchboard dashboard', need: 'A SUPERVISOR or ADMIN credential.', Page: Dashboard });
