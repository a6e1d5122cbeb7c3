export { startSimulator, type Simulator, type SimulatorOptions } from './server.js';
export { manualClock, scaledClock, type Clock, type ManualClock } from '../../clock.js';
export type { Pbx } from './model/pbx.js';
