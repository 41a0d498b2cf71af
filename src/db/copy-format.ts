// COPY statements, and PostgreSQL's binary COPY format for the three big event tables (stimuli, outcomes,
// rx_history). The server parses binary tuples in about half the CPU time of CSV (4M stimuli: 1.8 s against
// 3.5 s; timestamps are the costly text), and during a load that CPU is shared with the generator threads. Only
// the types those tables use are written: int8, int4, text, timestamp (without time zone), date, and NULL.
//
// A COPY statement's data is HEADER, tuples, TRAILER. Writers produce bare tuples, so chunks can be batched into
// COPY statements in any grouping; the targets add the header and trailer per statement.
import { ByteWriter } from './byte-writer.js';
import { assertWholeRows, csvField } from './csv.js';
import { quoteIdent } from './ddl.js';
import { formatDate, formatDateTime, MS_PER_DAY } from '../time/calendar.js';

export type CopyFormat = 'csv' | 'binary';

/** CSV text, or its UTF-8 bytes (the generator writes bytes: no strings to collect). Whole rows per chunk. */
export type CopyChunk = string | Uint8Array;

/** `COPY table (columns) FROM <from> WITH (FORMAT ...)`; `from` is STDIN or a server-side path literal. */
export function copyStatement(
  table: string,
  columns: readonly string[],
  from: string,
  format: CopyFormat,
): string {
  return `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM ${from} WITH (FORMAT ${format})`;
}

/**
 * Checks one chunk of a COPY statement's data: CSV chunks must end on a row boundary; binary chunks must be bytes
 * (bare tuples cannot be checked without parsing them).
 */
export function checkChunk(chunk: CopyChunk, table: string, format: CopyFormat): void {
  if (format === 'csv') assertWholeRows(chunk, table);
  else if (typeof chunk === 'string')
    throw new Error(`copyFrom(${table}): binary COPY data must be bytes, not text`);
}

/** Signature, flags (no OIDs), header-extension length 0. */
export const BINARY_HEADER = new Uint8Array([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);
/** A field count of -1 ends the data. */
export const BINARY_TRAILER = new Uint8Array([0xff, 0xff]);

/** PostgreSQL's epoch for timestamps and dates: 2000-01-01. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const PG_EPOCH_DAYS = PG_EPOCH_MS / MS_PER_DAY;
const TWO_32 = 2 ** 32;
const encoder = new TextEncoder();

export type BinaryType = 'int8' | 'int4' | 'int2' | 'float4' | 'text' | 'timestamp' | 'date' | 'text[]';

/** The element type OID of text arrays in the binary array format. */
const TEXT_OID = 25;

/** Binary tuples written straight into a growing byte buffer (the binary twin of RowWriter). `bytes()` writes a
 * field encoded once with encodeTextField / encodeDateField. */
export class BinaryRowWriter extends ByteWriter {
  private view = new DataView(this.buf.buffer);

  protected override grown(): void {
    this.view = new DataView(this.buf.buffer);
  }

  /** Starts a tuple of `fields` fields. */
  row(fields: number): this {
    this.ensure(2);
    this.view.setInt16(this.pos, fields);
    this.pos += 2;
    return this;
  }

  /** A bigint: any safe integer. */
  int8(n: number): this {
    this.ensure(12);
    this.view.setInt32(this.pos, 8);
    this.putInt64(this.pos + 4, n);
    this.pos += 12;
    return this;
  }

  int4(n: number): this {
    this.ensure(8);
    this.view.setInt32(this.pos, 4);
    this.view.setInt32(this.pos + 4, n);
    this.pos += 8;
    return this;
  }

  int2(n: number): this {
    this.ensure(6);
    this.view.setInt32(this.pos, 2);
    this.view.setInt16(this.pos + 4, n);
    this.pos += 6;
    return this;
  }

  /** A real: the float32 nearest the number, as PostgreSQL's float4in rounds the same decimal text. */
  float4(n: number): this {
    this.ensure(8);
    this.view.setInt32(this.pos, 4);
    this.view.setFloat32(this.pos + 4, n);
    this.pos += 8;
    return this;
  }

  /** A date of days since 1970-01-01. */
  date(days: number): this {
    this.ensure(8);
    this.view.setInt32(this.pos, 4);
    this.view.setInt32(this.pos + 4, days - PG_EPOCH_DAYS);
    this.pos += 8;
    return this;
  }

  /** A one-dimensional text[] (PostgreSQL's binary array format: dimensions, flags, element OID, elements). */
  textArray(values: readonly string[]): this {
    const start = this.pos;
    this.ensure(24);
    this.pos += 4; // the field length, filled in below
    this.view.setInt32(this.pos, values.length === 0 ? 0 : 1);
    this.view.setInt32(this.pos + 4, 0);
    this.view.setInt32(this.pos + 8, TEXT_OID);
    this.pos += 12;
    if (values.length > 0) {
      this.view.setInt32(this.pos, values.length);
      this.view.setInt32(this.pos + 4, 1);
      this.pos += 8;
    }
    for (const v of values) this.text(v);
    this.view.setInt32(start, this.pos - start - 4);
    return this;
  }

  nul(): this {
    this.ensure(4);
    this.view.setInt32(this.pos, -1);
    this.pos += 4;
    return this;
  }

  /** Text, UTF-8 encoded in place. */
  text(s: string): this {
    refuseNul(s);
    this.ensure(4 + s.length * 3);
    const written = encoder.encodeInto(s, this.buf.subarray(this.pos + 4)).written;
    this.view.setInt32(this.pos, written);
    this.pos += 4 + written;
    return this;
  }

  /** A timestamp of epoch milliseconds (UTC), whole seconds: milliseconds are truncated, as in the CSV rows. */
  timestamp(ms: number): this {
    this.ensure(12);
    this.view.setInt32(this.pos, 8);
    const seconds = Math.floor(ms / 1000);
    this.putInt64(this.pos + 4, (seconds * 1000 - PG_EPOCH_MS) * 1000);
    this.pos += 12;
    return this;
  }

  // Safe integers only: split into a signed high and an unsigned low 32-bit word (big-endian).
  private putInt64(at: number, n: number): void {
    const hi = Math.floor(n / TWO_32);
    this.view.setInt32(at, hi);
    this.view.setUint32(at + 4, n - hi * TWO_32);
  }
}

/** A text field (length and UTF-8 bytes), for constants written many times. */
export function encodeTextField(s: string): Uint8Array {
  refuseNul(s);
  const bytes = encoder.encode(s);
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setInt32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

// As csvField does: PostgreSQL text cannot hold NUL, and the server's own error would not say which value.
function refuseNul(s: string): void {
  if (s.includes('\0')) throw new TypeError('PostgreSQL text cannot contain a NUL character (\\0)');
}

/** A date field of the day that contains epoch milliseconds `ms` (UTC). */
export function encodeDateField(ms: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setInt32(0, 4);
  view.setInt32(4, Math.floor(ms / MS_PER_DAY) - PG_EPOCH_DAYS);
  return out;
}

/**
 * Bare tuples back as the CSV lines the same rows would have been (src/db/csv.ts's encoding): for tests and
 * debugging, and the proof that both formats carry the same values.
 */
export function binaryToCsvLines(data: Uint8Array, types: readonly BinaryType[]): string[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const decoder = new TextDecoder();
  const lines: string[] = [];
  let p = 0;
  while (p < data.length) {
    const fields = view.getInt16(p);
    p += 2;
    if (fields !== types.length) throw new Error(`a tuple has ${fields} fields, expected ${types.length}`);
    const out: string[] = [];
    for (const type of types) {
      const len = view.getInt32(p);
      p += 4;
      if (len < 0) {
        out.push('');
        continue;
      }
      const int64 = () => view.getInt32(p) * TWO_32 + view.getUint32(p + 4);
      if (type === 'int8') out.push(String(int64()));
      else if (type === 'int4') out.push(String(view.getInt32(p)));
      else if (type === 'int2') out.push(String(view.getInt16(p)));
      else if (type === 'float4') out.push(shortestFloat32(view.getFloat32(p)));
      else if (type === 'text[]') out.push(csvField(readTextArray(data.subarray(p, p + len), decoder)));
      else if (type === 'text') out.push(csvField(decoder.decode(data.subarray(p, p + len))));
      else if (type === 'timestamp') out.push(formatDateTime(int64() / 1000 + PG_EPOCH_MS));
      else out.push(formatDate((view.getInt32(p) + PG_EPOCH_DAYS) * MS_PER_DAY));
      p += len;
    }
    lines.push(out.join(','));
  }
  return lines;
}

function readTextArray(data: Uint8Array, decoder: InstanceType<typeof TextDecoder>): string[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getInt32(0) === 0) return [];
  const n = view.getInt32(12);
  const out: string[] = [];
  let p = 20;
  for (let i = 0; i < n; i++) {
    const len = view.getInt32(p);
    p += 4;
    out.push(decoder.decode(data.subarray(p, p + len)));
    p += len;
  }
  return out;
}

/** The shortest decimal that reads back as the same float32 (what PostgreSQL prints for a real). */
export function shortestFloat32(f: number): string {
  if (!Number.isFinite(f) || Number.isInteger(f)) return String(f);
  for (let digits = 1; digits <= 9; digits++) {
    const s = Number(f.toPrecision(digits));
    if (Math.fround(s) === f) return String(s);
  }
  return String(f);
}
