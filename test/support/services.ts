import net from 'node:net';

/** Base URL of the PostgreSQL server tests create their databases on. */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** With REQUIRE_SERVICES=1 (CI), a missing service fails the tests that need it instead of skipping them. */
export const servicesRequired = process.env.REQUIRE_SERVICES === '1';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** True when the service answers; false (so the caller skips) when it does not and none is required. */
export async function serviceAvailable(name: string, url: string): Promise<boolean> {
  if (await reachable(url)) return true;
  if (servicesRequired) throw new Error(`${name} is required (REQUIRE_SERVICES=1) but ${url} does not answer`);
  return false;
}
