import { agentLogoff, agents } from './agentActions.js';
import { getvar, playDtmf, setvar, status } from './channelActions.js';
import { formatDuration, channelFields } from '../model/channels.js';
import { deviceStateList, devstateChange, extensionState, extensionStateList } from './deviceActions.js';
import { amiEventTv, amiTimestamp } from '../protocol/timestamps.js';
import { originate } from './originate.js';
import { park } from './parkAction.js';
import { queueAdd, queuePause, queueRemove, queueStatus, queueSummary } from './queueActions.js';
import { redirect } from './redirectAction.js';
import { pjsipShowRegistrationsOutbound } from './registrationActions.js';
import { error, success } from '../protocol/responses.js';
import type { Handler } from './actionSession.js';
import { BANNER } from '../protocol/wire.js';

const VERSION = 'Asterisk GIT-22-22.0.0-pre1-541-g69535d4837 built by root @ vm on a x86_64 running Linux on 2026-11-21 20:54:31 UTC';

const login: Handler = (session, action) => {
  if (action.get('Username') !== session.username || action.get('Secret') !== session.secret) {
    session.send(error(action, 'Authentication failed'));
    // Asterisk ends the session after a failed login.
    session.close();
    return;
  }
  session.authenticated = true;
  session.eventsOn = action.get('Events').toLowerCase() !== 'off';
  session.send(success(action, 'Authentication accepted'));
  const { pbx } = session;
  const uptime = String(pbx.uptimeSeconds());
  if (session.eventsOn) {
    session.send([['Event', 'FullyBooted'], ['Privilege', 'system,all'], ['Uptime', uptime], ['LastReload', uptime], ['Status', 'Fully Booted']]);
  }
  const now = pbx.clock.now();
  pbx.emit('SuccessfulAuth', 'security,all', [
    ['EventTV', amiEventTv(now)],
    ['Severity', 'Informational'],
    ['Service', 'AMI'],
    ['EventVersion', '1'],
    ['AccountID', session.username],
    ['SessionID', session.sessionId],
    ['LocalAddress', session.localAddress],
    ['RemoteAddress', session.remoteAddress],
    ['UsingPassword', '0'],
    ['SessionTV', amiEventTv(now)],
  ]);
};

const logoff: Handler = (session, action) => {
  session.send([['Response', 'Goodbye'], ...action.idFields, ['Message', 'Thanks for all the fish.']]);
  session.close();
};

const ping: Handler = (session, action) => {
  session.send([['Response', 'Success'], ...action.idFields, ['Ping', 'Pong'], ['Timestamp', amiTimestamp(session.pbx.clock.now())]]);
};

const command: Handler = (session, action) => {
  const text = action.get('Command').trim().replace(/\s+/g, ' ');
  const devstate = /^devstate change(?: (.*))?$/i.exec(text);
  if (devstate !== null) return devstateChange(session, action, (devstate[1] ?? '').split(' ').filter((word) => word !== ''));
  if (text === 'core show version') {
    session.send([...success(action, 'Command output follows'), ['Output', VERSION]]);
    return;
  }
  // Asterisk 22 answers an unknown CLI command with an error response that still carries its Output.
  session.send([...error(action, 'Command output follows'), ['Output', `No such command '${text}' (type 'core show help ${text}' for other possible commands)`]]);
};

const hangup: Handler = (session, action) => {
  const name = action.get('Channel');
  const causeText = action.get('Cause');
  const cause = /^\d+$/.test(causeText) ? Number(causeText) : 16;
  const { pbx } = session;
  if (name === '') return session.send(error(action, 'No channel specified'));
  if (!name.startsWith('/')) {
    if (!pbx.hangup(name, cause)) return session.send(error(action, 'No such channel'));
    return session.send(success(action, 'Channel Hungup'));
  }
  // `/regex/` hangs up every match and answers with a list (hangup-and-setvar).
  let pattern: RegExp;
  try {
    pattern = new RegExp(name.replace(/^\/(.*)\/$/, '$1'));
  } catch {
    return session.send(error(action, 'Regex compile failed on: ' + name));
  }
  const names = pbx.registry.list().reverse().map((channel) => channel.name).filter((channel) => pattern.test(channel));
  session.send(success(action, 'Channels hung up will follow', [['EventList', 'start']]));
  for (const channel of names) session.send([['Event', 'ChannelHungup'], ['Channel', channel], ...action.idFields]);
  session.send([['Event', 'ChannelsHungupListComplete'], ...action.idFields, ['EventList', 'Complete'], ['ListItems', String(names.length)]]);
  for (const channel of names) pbx.hangup(channel, cause);
};

/** What `core show version` prints after "Asterisk ": ast_get_version(). */
const ASTERISK_VERSION = VERSION.split(' ')[1] ?? '';

/**
 * CoreSettings as main/manager.c's action_coresettings writes it (no transcript has one): AMIversion is the
 * banner's, the options are Asterisk's defaults (no maxcalls, maxload or maxfiles, no run user or group).
 */
const coreSettings: Handler = (session, action) => {
  session.send([
    ['Response', 'Success'],
    ...action.idFields,
    ['AMIversion', BANNER.replace(/^Asterisk Call Manager\/(.*)\r\n$/, '$1')],
    ['AsteriskVersion', ASTERISK_VERSION],
    ['SystemName', ''],
    ['CoreMaxCalls', '0'],
    ['CoreMaxLoadAvg', '0.000000'],
    ['CoreRunUser', ''],
    ['CoreRunGroup', ''],
    ['CoreMaxFilehandles', '0'],
    ['CoreRealTimeEnabled', 'No'],
    ['CoreCDRenabled', 'Yes'],
    ['CoreHTTPenabled', 'No'],
    ['SoundsSearchCustomDir', 'No'],
  ]);
};

/** `%Y-%m-%d` and `%H:%M:%S` of a time, in the recording machine's zone (UTC, as its EventTVs say). */
function dateAndTime(epochMs: number): [string, string] {
  const iso = new Date(epochMs).toISOString();
  return [iso.slice(0, 10), iso.slice(11, 19)];
}

/** CoreStatus as action_corestatus writes it: start and last reload (the same here), channels up, calls made. */
const coreStatus: Handler = (session, action) => {
  const { pbx } = session;
  const [date, time] = dateAndTime(pbx.startedAt);
  session.send([
    ['Response', 'Success'],
    ...action.idFields,
    ['CoreStartupDate', date],
    ['CoreStartupTime', time],
    ['CoreReloadDate', date],
    ['CoreReloadTime', time],
    ['CoreCurrentCalls', String(pbx.registry.list().length)],
    ['CoreProcessedCalls', String(pbx.registry.created)],
  ]);
};

const coreShowChannels: Handler = (session, action) => {
  const { pbx } = session;
  const channels = pbx.registry.list();
  session.send(success(action, 'Channels will follow', [['EventList', 'start']]));
  for (const channel of channels) {
    session.send([
      ['Event', 'CoreShowChannel'],
      ...action.idFields,
      ...channelFields(channel),
      ['Application', channel.application],
      ['ApplicationData', channel.applicationData],
      ['Duration', formatDuration(pbx.clock.now() - channel.createdAt)],
      ['BridgeId', channel.bridgeId],
    ]);
  }
  session.send([['Event', 'CoreShowChannelsComplete'], ...action.idFields, ['EventList', 'Complete'], ['ListItems', String(channels.length)]]);
};

/** ParkedCalls: every parked call as a ParkedCall item (its ActionID last), then the count twice (answered-to-park). */
const parkedCalls: Handler = (session, action) => {
  const lot = session.pbx.parking;
  const name = action.get('ParkingLot');
  if (name !== '' && name !== lot.config.name) return session.send(error(action, 'Requested parking lot could not be found.'));
  const calls = lot.list();
  session.send(success(action, 'Parked calls will follow', [['EventList', 'start']]));
  for (const call of calls) session.send([['Event', 'ParkedCall'], ...lot.parkedCallFields(call), ...action.idFields]);
  const count = String(calls.length);
  session.send([['Event', 'ParkedCallsComplete'], ...action.idFields, ['EventList', 'Complete'], ['ListItems', count], ['Total', count]]);
};

/** Parkinglots (Asterisk 22 has no `ParkinglotsList`): one Parkinglot item per lot, its ActionID first. */
const parkinglots: Handler = (session, action) => {
  const { config } = session.pbx.parking;
  session.send(success(action, 'Parking lots will follow', [['EventList', 'start']]));
  session.send([
    ['Event', 'Parkinglot'],
    ...action.idFields,
    ['Name', config.name],
    ['StartSpace', String(config.startSpace)],
    ['StopSpace', String(config.stopSpace)],
    ['Timeout', String(config.timeoutSeconds)],
  ]);
  session.send([['Event', 'ParkinglotsComplete'], ...action.idFields, ['EventList', 'Complete'], ['ListItems', '1']]);
};

/** Handlers by lower-cased action name: Asterisk matches action names case-insensitively. */
export const HANDLERS: ReadonlyMap<string, Handler> = new Map([
  ['login', login],
  ['logoff', logoff],
  ['ping', ping],
  ['command', command],
  ['hangup', hangup],
  ['coreshowchannels', coreShowChannels],
  ['coresettings', coreSettings],
  ['corestatus', coreStatus],
  ['originate', originate],
  ['parkedcalls', parkedCalls],
  ['parkinglots', parkinglots],
  ['queueadd', queueAdd],
  ['queueremove', queueRemove],
  ['queuepause', queuePause],
  ['queuestatus', queueStatus],
  ['queuesummary', queueSummary],
  ['agents', agents],
  ['agentlogoff', agentLogoff],
  ['devicestatelist', deviceStateList],
  ['extensionstatelist', extensionStateList],
  ['extensionstate', extensionState],
  ['setvar', setvar],
  ['getvar', getvar],
  ['playdtmf', playDtmf],
  ['status', status],
  ['redirect', redirect],
  ['park', park],
  ['pjsipshowregistrationsoutbound', pjsipShowRegistrationsOutbound],
]);

/** Actions Asterisk accepts before Login. */
export const BEFORE_LOGIN = new Set(['login', 'logoff', 'challenge']);
