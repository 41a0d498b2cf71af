// CSV rows written straight into a byte buffer. At a million HCPs the generator emits ~60M rows; building
// them as JS strings spent half the time in the garbage collector (profiled), so numbers, dates and
// pre-encoded constants are written as bytes, and only free text (names, addresses) goes through an encoder.
// The bytes follow src/db/csv.ts's encoding exactly (csvField is used for free text).
import { ByteWriter } from '../db/byte-writer.js';
import { csvField } from '../db/csv.js';
import { formatDate, MS_PER_DAY } from '../time/calendar.js';

const COMMA = 44;
const NEWLINE = 10;
const DASH = 45;
const COLON = 58;
const SPACE = 32;
const ZERO = 48;
const encoder = new TextEncoder();
const DAY_CACHE = 4096;

/** A constant CSV field (a channel id, a product, a segment name) encoded once. */
export function encodeField(value: string | null): Uint8Array {
  return encoder.encode(csvField(value));
}

export class RowWriter extends ByteWriter {
  private readonly digits = new Uint8Array(20);
  // A direct-mapped cache of formatted days (YYYY-MM-DD), indexed by day number: a window has at most a few
  // thousand days and each is written many times.
  // NaN marks an empty slot: it equals no day (-1, 1969-12-31, is a real day).
  private readonly cachedDay = new Float64Array(DAY_CACHE).fill(NaN);
  private readonly cachedDate = new Uint8Array(DAY_CACHE * 10);

  /** A whole number (safe integer), positive or negative. */
  int(n: number): this {
    this.ensure(21);
    if (n < 0) {
      this.buf[this.pos++] = DASH;
      n = -n;
    }
    if (n < 10) {
      this.buf[this.pos++] = ZERO + n;
      return this;
    }
    let len = 0;
    while (n > 0) {
      const q = Math.floor(n / 10);
      this.digits[len++] = ZERO + (n - q * 10);
      n = q;
    }
    while (len > 0) this.buf[this.pos++] = this.digits[--len]!;
    return this;
  }

  /** Any finite number, as String(n) spells it (integers take the fast path). */
  num(n: number): this {
    return Number.isSafeInteger(n) ? this.int(n) : this.ascii(String(n));
  }

  /** Text known to be plain ASCII that needs no CSV quoting (codes, ids, formatted numbers). */
  ascii(s: string): this {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
    return this;
  }

  /** Free text as a CSV field: quoted and escaped when it needs to be, UTF-8 encoded. */
  text(s: string | null): this {
    const field = csvField(s);
    this.ensure(field.length * 3);
    this.pos += encoder.encodeInto(field, this.buf.subarray(this.pos)).written;
    return this;
  }

  comma(): this {
    this.ensure(1);
    this.buf[this.pos++] = COMMA;
    return this;
  }

  newline(): this {
    this.ensure(1);
    this.buf[this.pos++] = NEWLINE;
    return this;
  }

  /** YYYY-MM-DD of epoch milliseconds (UTC). */
  date(ms: number): this {
    this.ensure(10);
    this.writeDay(Math.floor(ms / MS_PER_DAY));
    return this;
  }

  /** YYYY-MM-DD HH:MM:SS of epoch milliseconds (UTC); milliseconds are truncated. */
  dateTime(ms: number): this {
    this.ensure(19);
    const day = Math.floor(ms / MS_PER_DAY);
    this.writeDay(day);
    let sec = Math.floor((ms - day * MS_PER_DAY) / 1000);
    const h = Math.floor(sec / 3600);
    sec -= h * 3600;
    const m = Math.floor(sec / 60);
    sec -= m * 60;
    const b = this.buf;
    let p = this.pos;
    b[p++] = SPACE;
    b[p++] = ZERO + Math.floor(h / 10);
    b[p++] = ZERO + (h % 10);
    b[p++] = COLON;
    b[p++] = ZERO + Math.floor(m / 10);
    b[p++] = ZERO + (m % 10);
    b[p++] = COLON;
    b[p++] = ZERO + Math.floor(sec / 10);
    b[p++] = ZERO + (sec % 10);
    this.pos = p;
    return this;
  }

  private writeDay(days: number): void {
    const slot = days & (DAY_CACHE - 1);
    const at = slot * 10;
    if (this.cachedDay[slot] !== days) {
      this.formatDay(days, this.cachedDate, at);
      this.cachedDay[slot] = days;
    }
    const b = this.buf;
    const c = this.cachedDate;
    let p = this.pos;
    for (let i = 0; i < 10; i++) b[p++] = c[at + i]!;
    this.pos = p;
  }

  // A day's YYYY-MM-DD, written into the cache: once per distinct day, so the calendar's formatter will do.
  private formatDay(days: number, b: Uint8Array, p: number): void {
    const text = formatDate(days * MS_PER_DAY);
    for (let i = 0; i < 10; i++) b[p + i] = text.charCodeAt(i);
  }
}
