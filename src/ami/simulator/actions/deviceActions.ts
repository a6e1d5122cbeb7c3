import type { ActionSession, Handler } from './actionSession.js';
import { isDeviceState, type DeviceState } from '../model/deviceStates.js';
import { statusFields } from '../model/hints.js';
import { error, success } from '../protocol/responses.js';
import type { ClientAction, Fields } from '../protocol/wire.js';

/** DeviceStateList (res_manager_devicestate.c): the cached device states, Local devices never among them. */
export const deviceStateList: Handler = (session, action) => {
  const items = session.pbx.devices.listItems(action.idFields);
  session.send(success(action, 'Device State Changes will follow', [['EventList', 'start']]));
  for (const item of items) session.send(item);
  session.send([['Event', 'DeviceStateListComplete'], ...action.idFields, ['EventList', 'Complete'], ['ListItems', String(items.length)]]);
};

/** ExtensionStateList: every hint as an ExtensionStatus item. */
export const extensionStateList: Handler = (session, action) => {
  const items = session.pbx.hints.listItems(action.idFields);
  session.send(success(action, 'Extension Statuses will follow', [['EventList', 'start']]));
  for (const item of items) session.send(item);
  session.send([['Event', 'ExtensionStateListComplete'], ...action.idFields, ['EventList', 'Complete'], ['ListItems', String(items.length)]]);
};

/** ExtensionState (manager.c action_extensionstate): Context defaults to `default`; no hint reads Status -1. */
export const extensionState: Handler = (session, action) => {
  const exten = action.get('Exten');
  if (exten === '') return session.send(error(action, 'Extension not specified'));
  const context = action.get('Context') || 'default';
  const hint = session.pbx.hints.find(exten, context);
  const body: Fields = hint === undefined ? [['Exten', exten], ['Context', context], ['Hint', ''], ['Status', '-1'], ['StatusText', 'Unknown']] : statusFields(hint);
  session.send([['Response', 'Success'], ...action.idFields, ['Message', 'Extension Status'], ...body]);
};

/** ast_devstate_val: the state names func_devstate accepts; anything else is UNKNOWN, which it refuses. */
export function customDeviceState(text: string): DeviceState | undefined {
  const upper = text.toUpperCase();
  return isDeviceState(upper) && upper !== 'UNKNOWN' ? upper : undefined;
}

/**
 * The CLI's `devstate change Custom:<name> <STATE>` (func_devstate.c), sent as a Command action: the output
 * line first, then the device changes (device-states).
 */
export function devstateChange(session: ActionSession, action: ClientAction, args: readonly string[]): void {
  const [device = '', stateText = ''] = args;
  if (!/^custom:/i.test(device)) {
    return session.send([...error(action, 'Command output follows'), ['Output', "The devstate command can only be used to set 'Custom:' device state!"]]);
  }
  const name = device.slice('Custom:'.length);
  const state = customDeviceState(stateText);
  if (args.length !== 2 || name === '' || state === undefined) {
    return session.send([...error(action, 'Command output follows'), ['Output', 'Usage: devstate change <device> <state>']]);
  }
  session.send([...success(action, 'Command output follows'), ['Output', `Changing ${name} to ${stateText}`]]);
  session.pbx.devices.change(`Custom:${name}`, state);
}
