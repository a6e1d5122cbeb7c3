// @ts-check
// The wallboard: queues, running campaigns and PBX servers for a big screen, kept live by three snapshot
// subscriptions (queueSummaryEvents, campaignEvents, pbxEvents). Read-only: a VIEWER token is enough.
import { useEffect, useReducer, useState } from 'preact/hooks';
import { emptyHistory, SAMPLE_MS, TrendChart, withSample } from './charts.js';
import { useReconnects } from './live.js';
import { mountPage } from './session.js';
import { Clock, duration, Figure, html, idOf, LinkBadge, memo, percent, useNow } from './ui.js';

/**
 * @typedef {{ idle: number, ringing: number, onCall: number, wrapUp: number, paused: number, loggedOff: number }} AgentCounts
 * @typedef {{ server: string, queue: string, callers: number, longestHoldSince: string | null, completed: number | null,
 *   abandoned: number | null, answeredToday: number, abandonedToday: number, serviceLevelSec: number | null, serviceLevelPerf: number | null,
 *   agents: AgentCounts }} QueueSummary
 * @typedef {{ waiting: number, dialing: number, finished: number }} Members
 * @typedef {{ campaignId: string, status: string, attempts: number, liveDialings: number, answerRate: number | null,
 *   abandonRate: number | null, at: string, hold: { reason: string, detail: string } | null, members: Members,
 *   campaign: { name: string, plan: { maxAbandonPercent: number, dialMode: string, abandonLimitApplies: boolean }, queueStatus: { queueName: string | null, queue: { server: string } | null } } | null }} Progress
 * @typedef {{ server: string, connected: boolean, asteriskVersion: string | null, uptimeSec: number | null, callsUp: number, currentCalls: number | null }} PbxStatus
 * @typedef {{ progress: Progress, seen: { at: number, finished: number }[] }} CampaignView
 * @typedef {{ queues: Map<string, QueueSummary>, campaigns: Map<string, CampaignView>, pbxs: Map<string, PbxStatus & { receivedAt: number }> }} Board
 * @typedef {{ kind: 'queue', summary: QueueSummary } | { kind: 'campaign', progress: Progress, at: number } | { kind: 'pbx', status: PbxStatus, at: number } | { kind: 'reset' }} BoardEvent
 */

const QUEUES = `subscription { queueSummaryEvents {
  server queue callers longestHoldSince completed abandoned answeredToday abandonedToday serviceLevelSec serviceLevelPerf
  agents { idle ringing onCall wrapUp paused loggedOff } } }`;
const CAMPAIGNS = `subscription { campaignEvents {
  campaignId status attempts liveDialings answerRate abandonRate at hold { reason detail } members { waiting dialing finished }
  campaign { name plan { maxAbandonPercent dialMode abandonLimitApplies } queueStatus { queueName queue { server } } } } }`;
const PBXS = 'subscription { pbxEvents { server connected asteriskVersion uptimeSec callsUp currentCalls } }';

/** How far back a campaign's pace is measured for its time left. */
const PACE_WINDOW_MS = 10 * 60_000;

/** @returns {Board} */
const emptyBoard = () => ({ queues: new Map(), campaigns: new Map(), pbxs: new Map() });

/**
 * @param {Board} board
 * @param {BoardEvent} event
 * @returns {Board}
 */
function boardReducer(board, event) {
  switch (event.kind) {
    case 'reset':
      return emptyBoard();
    case 'queue': {
      const queues = new Map(board.queues);
      queues.set(`${event.summary.server}/${event.summary.queue}`, event.summary);
      return { ...board, queues };
    }
    case 'campaign': {
      const campaigns = new Map(board.campaigns);
      const { progress } = event;
      if (progress.status === 'STOPPED' || progress.campaign === null) campaigns.delete(progress.campaignId);
      else {
        const seen = [...(campaigns.get(progress.campaignId)?.seen ?? []), { at: event.at, finished: progress.members.finished }].filter((sample) => sample.at >= event.at - PACE_WINDOW_MS);
        campaigns.set(progress.campaignId, { progress, seen });
      }
      return { ...board, campaigns };
    }
    case 'pbx': {
      const pbxs = new Map(board.pbxs);
      pbxs.set(event.status.server, { ...event.status, receivedAt: event.at });
      return { ...board, pbxs };
    }
  }
}

/**
 * Members finished per second over the pace window, and the time the waiting ones would take at that pace.
 * @param {CampaignView} view
 * @returns {number | null} seconds left, null while the pace is not known
 */
function secondsLeft({ progress, seen }) {
  const first = seen[0];
  const last = seen.at(-1);
  if (first === undefined || last === undefined || last.at - first.at < 30_000) return null;
  const pace = (last.finished - first.finished) / ((last.at - first.at) / 1000);
  const left = progress.members.waiting + progress.members.dialing;
  if (left === 0) return 0;
  return pace > 0 ? left / pace : null;
}

/**
 * The queue a campaign sends its calls to, as the board has it.
 * @param {Board} board
 * @param {Progress} progress
 * @returns {QueueSummary | null}
 */
function queueOf(board, progress) {
  const status = progress.campaign?.queueStatus;
  if (!status?.queueName || !status.queue) return null;
  return board.queues.get(`${status.queue.server}/${status.queueName}`) ?? null;
}

/**
 * Agents on a call or wrapping up, over the agents logged in.
 * @param {QueueSummary | null} queue
 */
function occupancy(queue) {
  if (!queue) return null;
  const { idle, ringing, onCall, wrapUp, paused } = queue.agents;
  const loggedIn = idle + ringing + onCall + wrapUp + paused;
  return loggedIn === 0 ? null : (onCall + wrapUp) / loggedIn;
}

const QueueCard = memo(/** @param {{ summary: QueueSummary }} props */ ({ summary }) => {
  // Counted here, once a second while someone waits: the card alone redraws for it.
  const now = useNow(summary.callers > 0 ? 1000 : 0);
  const wait = summary.longestHoldSince === null ? 0 : (now - Date.parse(summary.longestHoldSince)) / 1000;
  const { agents } = summary;
  // Asterisk answers 0% before any call: no call yet is no level yet.
  const level = (summary.completed ?? 0) + (summary.abandoned ?? 0) === 0 ? null : summary.serviceLevelPerf;
  return html`<article class="card queue" data-testid=${`queue-${summary.queue}`} aria-labelledby=${idOf('queue', summary.server, summary.queue)}>
    <h3 id=${idOf('queue', summary.server, summary.queue)}>${summary.queue} <small>${summary.server}</small></h3>
    <div class="figures">
      <${Figure} big label="waiting" value=${summary.callers} tone=${summary.callers > 0 ? 'warn' : undefined} testId="callers" />
      <${Figure} big counts label="longest wait" value=${summary.callers > 0 ? duration(wait) : '—'} tone=${wait > 60 ? 'bad' : wait > 20 ? 'warn' : undefined} testId="longest-wait" />
      <${Figure} label="answered today" value=${summary.answeredToday} testId="answered-today" />
      <${Figure} label="abandoned today" value=${summary.abandonedToday} tone=${summary.abandonedToday > 0 ? 'warn' : undefined} testId="abandoned-today" />
      <${Figure} label=${`service level (${summary.serviceLevelSec ?? '?'} s)`} value=${level === null ? '—' : `${Math.round(level)}%`} tone=${level === null ? undefined : level >= 80 ? 'ok' : level >= 60 ? 'warn' : 'bad'} />
    </div>
    <ul class="agents" aria-label="Agents by state">
      <li class="idle"><b>${agents.idle}</b> idle</li>
      <li class="ringing"><b>${agents.ringing}</b> ringing</li>
      <li class="on-call"><b>${agents.onCall}</b> on call</li>
      <li class="wrap-up"><b>${agents.wrapUp}</b> wrap-up</li>
      <li class="paused"><b>${agents.paused}</b> paused</li>
      <li class="logged-off"><b>${agents.loggedOff}</b> logged off</li>
    </ul>
  </article>`;
});

const CampaignCard = memo(/** @param {{ view: CampaignView, queue: QueueSummary | null }} props */ ({ view, queue }) => {
  const { progress } = view;
  const campaign = /** @type {NonNullable<Progress['campaign']>} */ (progress.campaign);
  const { waiting, dialing, finished } = progress.members;
  const total = waiting + dialing + finished;
  const done = total === 0 ? 0 : finished / total;
  const { plan } = campaign;
  const limit = plan.maxAbandonPercent / 100;
  // The abandon rule is a predictive dialer's; other modes place a call only for a free agent, or for none.
  const abandonTone = !plan.abandonLimitApplies || progress.abandonRate === null ? undefined : progress.abandonRate > limit ? 'bad' : progress.abandonRate > limit * 0.8 ? 'warn' : 'ok';
  const busy = occupancy(queue);
  return html`<article class="card campaign" data-testid=${`campaign-${campaign.name}`} aria-labelledby=${idOf('campaign', progress.campaignId)}>
    <h3 id=${idOf('campaign', progress.campaignId)}>${campaign.name} <span class=${`badge status ${progress.status.toLowerCase()}`}>${progress.status}</span></h3>
    ${progress.hold ? html`<p class="hold" title=${progress.hold.reason}>${progress.hold.detail}</p>` : null}
    <div class="progress" role="progressbar" aria-label="Members finished" aria-valuemin="0" aria-valuemax=${total} aria-valuenow=${finished}>
      <div class="done" style=${`width: ${Math.round(done * 100)}%`}></div>
    </div>
    <div class="figures">
      <${Figure} label="finished" value=${finished} />
      <${Figure} label="left" value=${waiting + dialing} testId="members-left" />
      <${Figure} label="time left" value=${duration(secondsLeft(view))} title="At the pace of the last ten minutes" />
      <${Figure} big label="live calls" value=${progress.liveDialings} testId="live-dialings" />
      <${Figure} label="answered" value=${percent(progress.answerRate)} />
      ${plan.dialMode === 'BROADCAST'
        ? html`<${Figure} label="abandon rule" value="off" title="A broadcast waits for no agent: no answered call is abandoned" testId="abandon-rule" />`
        : html`<${Figure} label=${plan.abandonLimitApplies ? `abandoned (max ${plan.maxAbandonPercent}%)` : 'abandoned'} value=${percent(progress.abandonRate)} tone=${abandonTone} />`}
      <${Figure} label="occupancy" value=${percent(busy)} title="Agents of its queue on a call or in wrap-up, over those logged in" />
    </div>
  </article>`;
});

/**
 * An uptime to the minute: days and hours, or hours and minutes.
 * @param {number | null} seconds
 */
function uptimeText(seconds) {
  if (seconds === null) return '—';
  const minutes = Math.floor(seconds / 60);
  const [days, hours] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60)];
  return days > 0 ? `${days} d ${hours} h` : `${hours} h ${minutes % 60} min`;
}

const PbxCard = memo(/** @param {{ pbx: PbxStatus & { receivedAt: number } }} props */ ({ pbx }) => {
  const now = useNow(60_000);
  const uptime = pbx.uptimeSec === null ? null : pbx.uptimeSec + (now - pbx.receivedAt) / 1000;
  return html`<article class="card pbx" data-testid=${`pbx-${pbx.server}`} aria-labelledby=${idOf('pbx', pbx.server)}>
    <h3 id=${idOf('pbx', pbx.server)}>${pbx.server} <span class=${`badge ${pbx.connected ? 'ok' : 'bad'}`} data-testid="pbx-link">${pbx.connected ? 'connected' : 'not connected'}</span></h3>
    <div class="figures">
      <${Figure} big counts label="calls up" value=${pbx.callsUp} testId="calls-up" title="Changes with every call: not lit up" />
      <${Figure} counts label="channels up" value=${pbx.currentCalls ?? '—'} title="A Local call is two channels" />
      <${Figure} counts label="uptime" value=${uptimeText(uptime)} />
    </div>
    <p class="meta">Asterisk ${pbx.asteriskVersion ?? 'version not known'}</p>
  </article>`;
});

/**
 * @param {import('./api.js').Api} api
 * @param {(event: BoardEvent) => void} dispatch
 * @param {(message: string) => void} onError
 */
function follow(api, dispatch, onError) {
  const stops = [
    api.subscribe(QUEUES, undefined, (data) => dispatch({ kind: 'queue', summary: /** @type {{ queueSummaryEvents: QueueSummary }} */ (data).queueSummaryEvents }), onError),
    api.subscribe(CAMPAIGNS, undefined, (data) => dispatch({ kind: 'campaign', progress: /** @type {{ campaignEvents: Progress }} */ (data).campaignEvents, at: Date.now() }), onError),
    api.subscribe(PBXS, undefined, (data) => dispatch({ kind: 'pbx', status: /** @type {{ pbxEvents: PbxStatus }} */ (data).pbxEvents, at: Date.now() }), onError),
  ];
  return () => stops.forEach((stop) => stop());
}

/**
 * The trends, one sample every SAMPLE_MS: the worst abandon rate against the strictest limit, calls placed per
 * minute, and the agents by state.
 * @param {Board} board
 */
function useTrends(board) {
  const [trends, setTrends] = useState(() => ({ abandon: emptyHistory(), calls: emptyHistory(), agents: emptyHistory(), attempts: /** @type {{ at: number, total: number }[]} */ ([]) }));
  const now = useNow(SAMPLE_MS);
  useEffect(() => {
    const views = [...board.campaigns.values()];
    /** @type {Record<string, number | null>} */
    const abandon = {};
    for (const { progress } of views) if (progress.campaign) abandon[progress.campaign.name] = progress.abandonRate === null ? null : progress.abandonRate * 100;
    const total = views.reduce((sum, view) => sum + view.progress.attempts, 0);
    const counts = [...board.queues.values()].map((summary) => summary.agents);
    const sum = (/** @type {keyof AgentCounts} */ state) => counts.reduce((all, agents) => all + agents[state], 0);
    setTrends((before) => {
      const attempts = [...before.attempts, { at: now, total }].filter((sample) => sample.at >= now - 60_000);
      const minuteAgo = attempts[0];
      return {
        abandon: withSample(before.abandon, now, abandon),
        calls: withSample(before.calls, now, { 'calls placed': minuteAgo === undefined ? 0 : Math.max(0, total - minuteAgo.total) }),
        agents: withSample(before.agents, now, { idle: sum('idle'), 'on call': sum('onCall'), 'wrap-up': sum('wrapUp'), paused: sum('paused') }),
        attempts,
      };
    });
  }, [now]);
  return trends;
}

/** @param {{ board: Board }} props */
function Trends({ board }) {
  const trends = useTrends(board);
  const limits = [...board.campaigns.values()].flatMap((view) => (view.progress.campaign && view.progress.campaign.plan.abandonLimitApplies ? [view.progress.campaign.plan.maxAbandonPercent] : []));
  const limit = limits.length === 0 ? null : Math.min(...limits);
  const last = (/** @type {import('./charts.js').History} */ history, /** @type {string} */ name) => history.values[name]?.at(-1) ?? null;
  return html`<section aria-labelledby="trends"><h2 id="trends">Last hour</h2>
    <div class="trends">
      <${TrendChart} title="Abandon rate" unit="%" history=${trends.abandon} limit=${limit}
        summary=${limit === null ? 'per campaign' : `per campaign, against the strictest predictive limit of ${limit}%`} />
      <${TrendChart} title="Calls placed per minute" unit="calls" history=${trends.calls} summary=${`${last(trends.calls, 'calls placed') ?? 0} in the last minute`} />
      <${TrendChart} title="Agents by state" unit="agents" history=${trends.agents}
        summary=${`${last(trends.agents, 'on call') ?? 0} on call, ${last(trends.agents, 'idle') ?? 0} idle`} />
    </div>
  </section>`;
}

/** @param {{ api: import('./api.js').Api, link: import('./api.js').LinkState, onSignOut(): void }} props */
function Wallboard({ api, link, onSignOut }) {
  const [board, dispatch] = useReducer(boardReducer, undefined, emptyBoard);
  const [error, setError] = useState(/** @type {string | null} */ (null));
  // From scratch on every (re)connection: what changed while the socket was lost (a campaign that stopped) was never sent.
  const reconnects = useReconnects(api);
  useEffect(() => {
    dispatch({ kind: 'reset' });
    setError(null);
    return follow(api, dispatch, setError);
  }, [api, reconnects]);
  const queues = [...board.queues.values()].sort((a, b) => a.queue.localeCompare(b.queue) || a.server.localeCompare(b.server));
  const campaigns = [...board.campaigns.values()].sort((a, b) => (a.progress.campaign?.name ?? '').localeCompare(b.progress.campaign?.name ?? ''));
  const pbxs = [...board.pbxs.values()].sort((a, b) => a.server.localeCompare(b.server));
  return html`<div class="board">
    <header>
      <h1>Switchboard</h1>
      <${Clock} />
      <${LinkBadge} state=${link} />
      <button type="button" class="quiet" onClick=${onSignOut}>Sign out</button>
    </header>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    <main>
      <section aria-labelledby="queues"><h2 id="queues">Queues</h2>
        <div class="cards">${queues.length === 0 ? html`<p class="empty">No queue reported by any PBX yet.</p>` : queues.map((summary) => html`<${QueueCard} key=${`${summary.server}/${summary.queue}`} summary=${summary} />`)}</div>
      </section>
      <section aria-labelledby="campaigns"><h2 id="campaigns">Campaigns</h2>
        <div class="cards">${campaigns.length === 0 ? html`<p class="empty">No campaign is running.</p>` : campaigns.map((view) => html`<${CampaignCard} key=${view.progress.campaignId} view=${view} queue=${queueOf(board, view.progress)} />`)}</div>
      </section>
      <section aria-labelledby="pbxs"><h2 id="pbxs">PBX servers</h2>
        <div class="cards">${pbxs.length === 0 ? html`<p class="empty">No PBX heard from yet.</p>` : pbxs.map((pbx) => html`<${PbxCard} key=${pbx.server} pbx=${pbx} />`)}</div>
      </section>
      <${Trends} board=${board} />
    </main>
  </div>`;
}

mountPage({ title: 'Switchboard wallboard', need: 'A VIEWER credential is enough.', Page: Wallboard });
