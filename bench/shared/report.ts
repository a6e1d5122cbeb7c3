/** What every bench prints around its figures. */
import { cpus, freemem, totalmem } from 'node:os';

/** A count or rate rounded to a whole number, with thousands separators. */
export const whole = (value: number): string => Math.round(value).toLocaleString('en-US');

/** The machine and the day, for the line above a bench's tables. */
export function machine(): string {
  return (
    `${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM (${(freemem() / 2 ** 30).toFixed(1)} GB free), ` +
    `Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`
  );
}
