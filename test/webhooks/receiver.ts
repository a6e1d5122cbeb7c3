import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { headers: IncomingHttpHeaders; body: string; status: number };

/** A real HTTP receiver on a local port; `answer` decides each response's status (and may delay it). */
export type Receiver = {
  url: string;
  received: Received[];
  /** Requests being answered right now, to catch two sends of one delivery at once. */
  inFlight: Map<string, number>;
  answer: (request: { key: string; body: string }) => number | Promise<number>;
  close(): Promise<void>;
};

export async function startReceiver(port = 0): Promise<Receiver> {
  const receiver: Receiver = { url: '', received: [], inFlight: new Map(), answer: () => 200, close: async () => {} };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const key = String(request.headers['idempotency-key']);
      receiver.inFlight.set(key, (receiver.inFlight.get(key) ?? 0) + 1);
      void Promise.resolve(receiver.answer({ key, body })).then((status) => {
        receiver.inFlight.set(key, (receiver.inFlight.get(key) ?? 1) - 1);
        receiver.received.push({ headers: request.headers, body, status });
        response.writeHead(status, { 'Content-Type': 'text/plain' }).end('ok');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${address.port}/hook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** A port nothing listens on (taken, then let go): requests to it are refused. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
