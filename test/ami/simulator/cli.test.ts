import { afterEach, describe, expect, it } from 'vitest';
import { spawnWatched, type WatchedChild } from '../../support/child.js';
import { PROJECT_DIR } from '../../support/process.js';
import { RawClient } from './rawClient.js';

const children: WatchedChild[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) await child.signal('SIGTERM');
});

/** `npm run pbx:sim -- <args>`, as a user runs it (through tsx, without npm's own lines). */
function pbxSim(args: string[]): WatchedChild {
  const child = spawnWatched(process.execPath, ['--import', 'tsx', 'src/ami/simulator/cli.ts', ...args], { cwd: PROJECT_DIR });
  children.push(child);
  return child;
}

describe('npm run pbx:sim', () => {
  it('announces the AMI_URL to give Switchboard, accepts a Login with its credentials, and stops cleanly on SIGTERM', async () => {
    const child = pbxSim(['--port', '0', '--username', 'demo', '--secret', 's3cret']);
    const url = new URL(await child.firstLine((line) => (line.startsWith('AMI_URL=') ? line.slice('AMI_URL='.length) : undefined)));
    expect([url.protocol, url.username, url.password, url.hostname]).toEqual(['ami:', 'demo', 's3cret', '127.0.0.1']);
    const client = await RawClient.open(Number(url.port));
    expect(client.banner).toBe('Asterisk Call Manager/11.0.0\r\n');
    client.send({ Action: 'Login', Username: 'demo', Secret: 's3cret', ActionID: 'l' });
    expect(await client.response('l')).toContain('Message: Authentication accepted\r\n');
    expect(await child.signal('SIGTERM')).toBe('code 0');
  });

  it('makes up a secret when given none, so a PBX left on a shared machine is not open to anyone', async () => {
    const child = pbxSim(['--port', '0']);
    const url = new URL(await child.firstLine((line) => (line.startsWith('AMI_URL=') ? line.slice('AMI_URL='.length) : undefined)));
    expect(url.username).toBe('switchboard');
    expect(url.password).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses a bad option with the reason and its usage, exit code 2', async () => {
    const child = pbxSim(['--port', '70000']);
    // SIGCONT changes nothing: this only waits for the exit it makes on its own.
    expect(await child.signal('SIGCONT')).toBe('code 2');
    expect(child.stderr.join('\n')).toContain('--port must be a port number (0 for any free one), got 70000');
    expect(child.stderr.join('\n')).toContain('usage: npm run pbx:sim --');
  });
});
