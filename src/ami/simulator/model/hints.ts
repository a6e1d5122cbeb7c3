import type { DeviceState, DeviceStates } from './deviceStates.js';
import type { EventHost } from './eventHost.js';
import type { Fields } from '../protocol/wire.js';

/** One `exten => N,hint,Device` of pbx-config's context `hints`. */
type Hint = { exten: string; context: string; device: string; status: number };

/** The hints in Asterisk's container order, as every ExtensionStateList of device-states lists them. */
const HINTS: readonly { exten: string; device: string }[] = [
  { exten: '202', device: 'Local/1202@customers' },
  { exten: '201', device: 'Custom:desk201' },
  { exten: '1001', device: 'Agent:1001' },
  { exten: '1002', device: 'Agent:1002' },
];

/** ast_devstate_to_extenstate: UNKNOWN reads Idle, INVALID reads Unavailable, RINGINUSE is InUse|Ringing. */
const EXTENSION_STATE: Record<DeviceState, number> = {
  UNKNOWN: 0,
  NOT_INUSE: 0,
  INUSE: 1,
  BUSY: 2,
  INVALID: 4,
  UNAVAILABLE: 4,
  RINGING: 8,
  RINGINUSE: 9,
  ONHOLD: 16,
};

/** ast_extension_state2str. */
const STATUS_TEXT: Readonly<Record<number, string>> = { 0: 'Idle', 1: 'InUse', 2: 'Busy', 4: 'Unavailable', 8: 'Ringing', 9: 'InUse&Ringing', 16: 'Hold', 17: 'InUse&Hold' };

/** Extension states of the hints, following their devices; ExtensionStatus goes out only when one changes. */
export class Hints {
  private readonly hints: Hint[];

  constructor(
    private readonly pbx: EventHost,
    devices: DeviceStates,
  ) {
    // A Local device with no channel reads INVALID (hint 202 starts Unavailable), a Custom one never set UNKNOWN (Idle).
    const initial = (device: string) => devices.state(device) ?? (device.startsWith('Local/') ? 'INVALID' : 'UNKNOWN');
    this.hints = HINTS.map(({ exten, device }) => ({ exten, context: 'hints', device, status: EXTENSION_STATE[initial(device)] }));
    devices.onChange((device, state) => this.follow(device, state));
  }

  find(exten: string, context: string): Hint | undefined {
    return this.hints.find((hint) => hint.exten === exten && hint.context === context);
  }

  /** ExtensionStateList's items, ActionID second. */
  listItems(idFields: Fields): Fields[] {
    return this.hints.map((hint) => [['Event', 'ExtensionStatus'], ...idFields, ...statusFields(hint)]);
  }

  private follow(device: string, state: DeviceState): void {
    for (const hint of this.hints) {
      const status = EXTENSION_STATE[state];
      if (hint.device !== device || hint.status === status) continue;
      hint.status = status;
      this.pbx.emit('ExtensionStatus', 'call,all', statusFields(hint));
    }
  }
}

/** Exten, Context, Hint, Status, StatusText: the body of ExtensionStatus and of the ExtensionState response. */
export function statusFields(hint: Hint): Fields {
  return [['Exten', hint.exten], ['Context', hint.context], ['Hint', hint.device], ['Status', String(hint.status)], ['StatusText', STATUS_TEXT[hint.status] ?? 'Unknown']];
}
