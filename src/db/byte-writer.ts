// The growing byte buffer under both row writers (CSV: src/steps/row-writer.ts; binary COPY:
// src/db/copy-format.ts). Rows are written as bytes, never built as strings: at a million HCPs strings cost more
// in garbage collection than generating the values.
export class ByteWriter {
  protected buf: Uint8Array;
  protected pos = 0;

  constructor(capacity = 64 * 1024) {
    this.buf = new Uint8Array(capacity);
  }

  get length(): number {
    return this.pos;
  }

  /** Makes room for `extra` more bytes (doubling, so a row costs amortised O(1)). */
  protected ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.grown();
  }

  /** Called after the buffer was replaced by a larger one (for views over it). */
  protected grown(): void {}

  /** Pre-encoded bytes: a constant field encoded once. */
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    if (b.length < 32) {
      for (let i = 0; i < b.length; i++) this.buf[this.pos++] = b[i]!;
    } else {
      this.buf.set(b, this.pos);
      this.pos += b.length;
    }
    return this;
  }

  /** The bytes written so far (a view; the writer must not be used after). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}
