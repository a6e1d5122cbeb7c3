import type { ActionSession, Handler } from './actionSession.js';
import { channelFields, type SimChannel } from '../model/channels.js';
import { ChannelEvents } from '../model/channelEvents.js';
import { customDeviceState } from './deviceActions.js';
import { error, isTrue, success } from '../protocol/responses.js';
import type { Fields } from '../protocol/wire.js';

/**
 * Setvar (manager.c action_setvar): a channel variable (its VarSet event after the response), or, with no
 * Channel, a global, or DEVICE_STATE(Custom:<name>) as device-states sets it.
 */
export const setvar: Handler = (session, action) => {
  const { pbx } = session;
  const name = action.get('Variable');
  const value = action.get('Value');
  if (name === '') return session.send(error(action, 'No variable specified'));
  const channelName = action.get('Channel');
  const channel = channelName === '' ? undefined : pbx.registry.get(channelName);
  if (channelName !== '' && channel === undefined) return session.send(error(action, 'No such channel'));
  const device = /^DEVICE_STATE\((Custom:.+)\)$/i.exec(name)?.[1];
  if (device !== undefined) {
    // func_devstate refuses any state ast_devstate_val does not know.
    const state = customDeviceState(value);
    if (state === undefined) return session.send(error(action, 'Variable not set'));
    session.send(success(action, 'Variable Set'));
    return pbx.devices.change(`Custom:${device.slice('Custom:'.length)}`, state);
  }
  session.send(success(action, 'Variable Set'));
  if (channel === undefined) pbx.globals.set(name, value);
  else new ChannelEvents(pbx).varSet(channel, name, value);
};

/** Getvar (action_getvar): `Response: Success`, then Variable and Value with no Message; unset reads ''. */
export const getvar: Handler = (session, action) => {
  const { pbx } = session;
  const name = action.get('Variable');
  if (name === '') return session.send(error(action, 'No variable specified'));
  const channelName = action.get('Channel');
  const channel = channelName === '' ? undefined : pbx.registry.get(channelName);
  if (channelName !== '' && channel === undefined) return session.send(error(action, 'No such channel'));
  const value = (channel === undefined ? pbx.globals.get(name) : (channel.variables.get(name) ?? pbx.globals.get(name))) ?? '';
  session.send([['Response', 'Success'], ...action.idFields, ['Variable', name], ['Value', value]]);
};

/**
 * Status (action_status, hangup-and-setvar): one Status item per channel (newest first) or for the one named,
 * with `Variable: name=value` lines for the Variables asked for, then StatusComplete with Items.
 */
export const status: Handler = (session, action) => {
  const { pbx } = session;
  const name = action.get('Channel');
  const channels = name === '' ? pbx.registry.list() : [pbx.registry.get(name)].filter((channel) => channel !== undefined);
  if (channels.length === 0 && name !== '') return session.send(error(action, 'No such channel'));
  const wanted = action.get('Variables').split(',').map((variable) => variable.trim()).filter((variable) => variable !== '');
  session.send(success(action, 'Channel status will follow', [['EventList', 'start']]));
  for (const channel of channels) session.send(statusItem(channel, wanted, pbx.clock.now(), action.idFields));
  const count = String(channels.length);
  session.send([['Event', 'StatusComplete'], ...action.idFields, ['EventList', 'Complete'], ['ListItems', count], ['Items', count]]);
};

function statusItem(channel: SimChannel, variables: readonly string[], now: number, idFields: Fields): Fields {
  return [
    ['Event', 'Status'],
    ['Privilege', 'Call'],
    ...channelFields(channel),
    ['Type', channel.name.split('/')[0] ?? ''],
    ['DNID', ''],
    ['EffectiveConnectedLineNum', channel.connectedNum],
    ['EffectiveConnectedLineName', channel.connectedName],
    ['TimeToHangup', '0'],
    ['BridgeID', channel.bridgeId],
    ['Application', channel.application],
    ['Data', channel.applicationData],
    ['Nativeformats', '(slin)'],
    ['Readformat', 'slin'],
    ['Readtrans', ''],
    ['Writeformat', 'slin'],
    ['Writetrans', ''],
    ['Callgroup', '0'],
    ['Pickupgroup', '0'],
    ['Seconds', String(Math.floor((now - channel.createdAt) / 1000))],
    ...variables.map((variable): readonly [string, string] => ['Variable', `${variable}=${channel.variables.get(variable) ?? ''}`]),
    ...idFields,
  ];
}

/** How long a digit lasts when PlayDTMF gives no Duration (Asterisk's option_dtmfminduration default). */
const DEFAULT_DTMF_MS = 100;

/**
 * PlayDTMF (app_senddtmf.c manager_play_dtmf): the digit is sent out on the channel (for a Local ;1, that is into
 * its ;2, which receives it), or with `Receive: true` received on the channel itself. The far end reports
 * DTMFBegin and DTMFEnd once the digit is over (agents-ackcall-accept: a bridged ;2 hears the begin only with the
 * end). An agent's login channel that receives its accept digit takes the call it is offered.
 */
export const playDtmf: Handler = (session, action) => {
  const { pbx } = session;
  const channel = pbx.registry.get(action.get('Channel'));
  if (channel === undefined) return session.send(error(action, 'Channel not found'));
  const digit = action.get('Digit').charAt(0);
  if (digit === '') return session.send(error(action, 'No digit specified'));
  const durationText = action.get('Duration');
  if (durationText !== '' && !/^\d+$/.test(durationText)) return session.send(error(action, 'Could not convert Duration parameter'));
  const duration = durationText === '' ? DEFAULT_DTMF_MS : Number(durationText);
  const received = isTrue(action.get('Receive'));
  const hearer = received ? channel : (localPartner(pbx, channel) ?? channel);
  const direction = hearer === channel && !received ? 'Sent' : 'Received';
  session.send(success(action, 'DTMF successfully queued'));
  pbx.clock.after(duration, () => {
    if (pbx.registry.get(hearer.name) !== hearer) return;
    pbx.emit('DTMFBegin', 'dtmf,all', [...channelFields(hearer), ['Digit', digit], ['Direction', direction]]);
    pbx.emit('DTMFEnd', 'dtmf,all', [...channelFields(hearer), ['Digit', digit], ['DurationMs', String(duration)], ['Direction', direction]]);
    if (direction === 'Received') pbx.agents.digitReceived(hearer, digit);
  });
};

/** A Local channel's other half (`...;1` for `...;2` and back), if it is up. */
function localPartner(pbx: ActionSession['pbx'], channel: SimChannel): SimChannel | undefined {
  const half = /^(Local\/.+);([12])$/.exec(channel.name);
  if (half === null) return undefined;
  return pbx.registry.get(`${half[1] ?? ''};${half[2] === '1' ? '2' : '1'}`);
}
