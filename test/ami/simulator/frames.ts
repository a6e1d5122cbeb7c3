/**
 * Reduces AMI frames to what must match real Asterisk: per stream (one channel, one dial, one device, one
 * action's response or OriginateResponse), the events in order with their keys in order and the values that
 * matter. Ids, times and addresses are left aside, and so is interleaving across streams, which real
 * Asterisk does not keep stable within a millisecond.
 */

type Pair = readonly [string, string];

/** Splits received text into the banner line and complete frames. */
export function splitFrames(text: string): { banner: string; frames: string[] } {
  const bannerEnd = text.indexOf('\r\n');
  const banner = text.slice(0, bannerEnd + 2);
  const frames = text
    .slice(bannerEnd + 2)
    .split('\r\n\r\n')
    .filter((frame) => frame !== '')
    .map((frame) => `${frame}\r\n\r\n`);
  return { banner, frames };
}

export function pairs(frame: string): Pair[] {
  return frame
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => {
      const colon = line.indexOf(': ');
      return colon === -1 ? [line.replace(/:$/, ''), ''] : [line.slice(0, colon), line.slice(colon + 2)];
    });
}

const CHECKED = new Set([
  'Response', 'Message', 'EventList', 'ListItems', 'Ping', 'Output',
  'Cause', 'Cause-txt', 'Reason', 'ChannelState', 'ChannelStateDesc', 'Context', 'Exten', 'Priority', 'Extension',
  'Variable', 'Value', 'Application', 'AppData', 'ApplicationData', 'DialStatus', 'DialString', 'State', 'Status',
  'CallerIDNum', 'CallerIDName', 'ConnectedLineNum', 'ConnectedLineName', 'LocalOptimization', 'CID-CallingPres',
  'Severity', 'Service', 'AccountID', 'UsingPassword', 'Privilege', 'RequestType', 'Total',
  'ParkerDialString', 'Parkinglot', 'ParkingSpace',
  'BridgeType', 'BridgeTechnology', 'BridgeCreator', 'BridgeName', 'BridgeNumChannels', 'BridgeVideoSourceMode',
]);

/** A channel name without its per-pair hex counter: `Local/2001@customers-00000003;2` -> `Local/2001@customers;2`. */
export function role(channel: string): string {
  return channel.replace(/-[0-9a-f]{8}(;[12])$/, '$1');
}

/** Generated uniqueids (`<epoch>.<n>`) differ run to run; ids fixed by ChannelId must match exactly. */
function id(value: string): string {
  return /^\d+\.\d+$/.test(value) ? '<generated>' : value;
}

/** Queue()'s measured durations (ANSWEREDTIME_MS 4500 in answered-to-queue): times, aside like the rest. */
const DURATION_VARIABLES = new Set(['ANSWEREDTIME', 'ANSWEREDTIME_MS', 'DIALEDTIME', 'DIALEDTIME_MS']);

function describe(fields: Pair[]): string {
  const variable = fields.find(([key]) => key === 'Variable')?.[1] ?? '';
  const values = fields.flatMap(([key, value]) => {
    if (key === 'Value' && value !== '' && DURATION_VARIABLES.has(variable)) return [`${key}=<duration>`];
    // A generated id can also sit inside a value (UserEvent's AppData): aside as well.
    if (CHECKED.has(key.replace(/^(Dest|LocalOne|LocalTwo|Parkee)/, ''))) return [`${key}=${value.replace(/\b\d{9,}\.\d+\b/g, '<generated>')}`];
    // A bridge's id is a fresh UUID in every run; that it stays one bridge is for the tests to check.
    if (key === 'BridgeUniqueid') return [`${key}=<bridge>`];
    if (/(Channel)$/.test(key)) return [`${key}=${role(value)}`];
    if (/(Uniqueid|Linkedid)$/.test(key)) return [`${key}=${id(value)}`];
    return [];
  });
  return [fields.map(([key]) => key).join(','), ...values].join(' | ');
}

function stream(fields: Pair[]): string {
  const get = (key: string) => fields.find(([name]) => name === key)?.[1];
  const event = get('Event');
  if (event === undefined) return `response ${get('ActionID') ?? ''}`;
  if (event === 'OriginateResponse') return `originate ${get('ActionID') ?? ''}`;
  // Other events carrying an ActionID are list items (CoreShowChannel, Status...): part of their action's answer.
  if (get('ActionID') !== undefined) return `response ${get('ActionID') ?? ''}`;
  if (event === 'DeviceStateChange') return `device ${get('Device') ?? ''}`;
  // One hint's states are one stream: two hints changing in the same millisecond come in either order.
  if (event === 'ExtensionStatus') return `extension ${get('Context') ?? ''},${get('Exten') ?? ''}`;
  if (event === 'LocalBridge') return `bridge ${role(get('LocalOneChannel') ?? '')}`;
  const dest = get('DestChannel');
  if (dest !== undefined) return `dial ${role(dest)}`;
  const channel = get('Channel');
  if (channel !== undefined) return `channel ${role(channel)}`;
  return `event ${event}`;
}

/** Frames grouped by stream, each reduced to its comparable description. */
export function summarize(frames: readonly string[], keep: (stream: string) => boolean = () => true): Record<string, string[]> {
  const streams: Record<string, string[]> = {};
  for (const frame of frames) {
    const fields = pairs(frame);
    const name = stream(fields);
    if (keep(name)) (streams[name] ??= []).push(describe(fields));
  }
  return streams;
}
