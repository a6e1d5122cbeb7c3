import { randomBytes } from 'node:crypto';

/**
 * UUIDv7 ids for the members of one intake: the intake's millisecond and 42 random bits, then the row number
 * in the last 32 bits. Ids rise with the row (index-friendly), and the row a stored id came from can be read
 * back from it, which is how a conflict names the row that holds a key.
 */
export class MemberIds {
  readonly prefix: string;

  constructor(now = Date.now(), random: Uint8Array = randomBytes(6)) {
    const time = now.toString(16).padStart(12, '0');
    const hex = Buffer.from(random).toString('hex');
    const variant = (8 + ((random[5] ?? 0) & 3)).toString(16);
    this.prefix = `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex.slice(0, 3)}-${variant}${hex.slice(3, 6)}-${hex.slice(6, 10)}`;
  }

  forRow(row: number): string {
    if (row > 0xffffffff) throw new RangeError(`row ${row} is beyond what one intake can number`);
    return this.prefix + row.toString(16).padStart(8, '0');
  }

  /** The row of this intake an id belongs to, or null for an id from elsewhere. */
  rowOf(id: string): number | null {
    return id.length === 36 && id.startsWith(this.prefix) ? Number.parseInt(id.slice(28), 16) : null;
  }
}
