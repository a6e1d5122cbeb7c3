/**
 * `npm run pbx:sim -- --port 5038`: the simulated Asterisk 22 of `npm start`, as a process of its own, for split
 * api/worker/dialer deployments, demos and dashboards that want a PBX without Asterisk. It announces the AMI_URL to
 * give Switchboard (first line, `AMI_URL=ami://user:secret@host:port`), and stops on SIGINT or SIGTERM. It listens
 * on loopback unless told otherwise, with a fresh random secret unless one is given.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startSimulator } from './server.js';

const USAGE = 'usage: npm run pbx:sim -- [--port 5038] [--host 127.0.0.1] [--username switchboard] [--secret <secret>] [--speed 1]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function options() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: '5038' },
        host: { type: 'string', default: '127.0.0.1' },
        username: { type: 'string', default: 'switchboard' },
        secret: { type: 'string' },
        speed: { type: 'string', default: '1' },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

const values = options();
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`--port must be a port number (0 for any free one), got ${values.port}`);
const speed = Number(values.speed);
if (!(speed > 0)) fail(`--speed must be above 0, got ${values.speed}`);
// AMI lines end in CRLF: a username or secret holding one could not be sent in a Login.
for (const [name, value] of [['username', values.username], ['secret', values.secret]] as const) {
  if (value !== undefined && (value === '' || /[\r\n]/.test(value))) fail(`--${name} must be one line, not empty`);
}

const simulator = await startSimulator({ port, host: values.host, username: values.username, secret: values.secret ?? randomBytes(16).toString('hex'), speed }).catch(
  (error: unknown) => fail(`could not listen on ${values.host}:${port}: ${error instanceof Error ? error.message : String(error)}`),
);
process.stdout.write(
  `AMI_URL=${simulator.url}\n` +
    `Simulated Asterisk 22 listening on ${simulator.host}:${simulator.port}${speed === 1 ? '' : `, ${speed} times real time`}.\n` +
    `Start Switchboard with that AMI_URL to follow it; Ctrl-C stops it.\n`,
);
const stop = () => {
  void simulator.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
