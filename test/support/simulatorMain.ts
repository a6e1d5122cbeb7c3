import { startSimulator, type SimulatorOptions } from '../../src/ami/simulator/index.js';

// The child end of simulatorProcess.ts: its options come as JSON in the first argument.
const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const simulator = await startSimulator(options);
process.once('SIGTERM', () => void simulator.close());
process.stdout.write(`${JSON.stringify({ port: simulator.port })}\n`);
