import { afterEach } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/ami/simulator/index.js';
import { RawClient } from './rawClient.js';

export type Session = { simulator: Simulator; client: RawClient };

/**
 * Simulators and raw AMI clients for the tests of one file (credentials admin / labsecret, as the
 * transcripts log in), every one closed after each test: clients first, then their simulator.
 */
export function useSimulatorSessions() {
  const simulators: Simulator[] = [];
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const simulator of simulators.splice(0)) await simulator.close();
  });

  const start = async (speed: number): Promise<Simulator> => {
    const simulator = await startSimulator({ username: 'admin', secret: 'labsecret', speed });
    simulators.push(simulator);
    return simulator;
  };

  /** A new simulator and a client connected to it, not yet logged in. */
  const open = async (speed: number): Promise<Session> => {
    const simulator = await start(speed);
    const client = await RawClient.open(simulator.port);
    clients.push(client);
    return { simulator, client };
  };

  const loggedIn = async (speed: number): Promise<Session> => {
    const session = await open(speed);
    session.client.send({ Action: 'Login', Username: 'admin', Secret: 'labsecret', ActionID: 'login' });
    await session.client.response('login');
    return session;
  };

  return { start, open, loggedIn };
}
