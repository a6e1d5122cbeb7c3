/**
 * Cuts a stream of AMI text into frames: each ends at a blank line (CRLF CRLF, or bare LFs as some clients
 * send). Returns every complete frame, terminator included, and keeps the rest for the next chunk.
 */
export class FrameSplitter {
  private buffer = '';

  push(chunk: string): string[] {
    this.buffer += chunk;
    const frames: string[] = [];
    for (;;) {
      const end = /\r?\n\r?\n/.exec(this.buffer);
      if (end === null) return frames;
      const length = end.index + end[0].length;
      frames.push(this.buffer.slice(0, length));
      this.buffer = this.buffer.slice(length);
    }
  }
}
