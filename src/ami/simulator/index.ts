export { startSimulator, type Simulator, type SimulatorOptions } from './server.js';
export { manualClock, scaledClock, type ManualClock, type SimulatorClock } from './clock.js';
export type { Pbx } from './pbx.js';
