/** `Timestamp:` as Asterisk writes it: seconds with microseconds. */
export function amiTimestamp(epochMs: number): string {
  return (epochMs / 1000).toFixed(6);
}

/** `EventTV:` / `SessionTV:` as Asterisk writes it (UTC, milliseconds, +0000). */
export function amiEventTv(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 23)}+0000`;
}
