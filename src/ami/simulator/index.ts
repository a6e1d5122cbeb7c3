export { startSimulator, type Simulator, type SimulatorOptions } from './server.js';
export { scaledClock, type SimulatorClock } from './clock.js';
export type { Pbx } from './pbx.js';
