import { afterEach } from 'vitest';
import { manualClock, startSimulator, type ManualClock, type Simulator } from '../../../src/ami/simulator/index.js';
import { RawClient } from './rawClient.js';

export type Session = { simulator: Simulator; client: RawClient };

/** A simulator on a clock the test moves (replayOnClock): no real timer, so a loaded machine replays as an idle one. */
export type Clocked = { simulator: Simulator; clock: ManualClock };

/** Where those clocks start unless told: November 2026, as the recordings. */
const SIMULATED_START = Date.UTC(2026, 10, 21, 21, 0, 0);

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

  const startOnClock = async (startMs = SIMULATED_START): Promise<Clocked> => {
    const clock = manualClock(startMs);
    const simulator = await startSimulator({ username: 'admin', secret: 'labsecret', clock });
    simulators.push(simulator);
    return { simulator, clock };
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

  /** A simulator on a clock the test moves, and a client logged in to it. */
  const loggedInOnClock = async (): Promise<Clocked & { client: RawClient }> => {
    const clocked = await startOnClock();
    const client = await RawClient.open(clocked.simulator.port);
    clients.push(client);
    client.send({ Action: 'Login', Username: 'admin', Secret: 'labsecret', ActionID: 'login' });
    await client.response('login');
    return { ...clocked, client };
  };

  return { start, startOnClock, open, loggedIn, loggedInOnClock };
}
