// PostgreSQL's hashtext() and timestamp_hash() (hash_bytes() and hash_uint32() in src/common/hashfn.c: Bob Jenkins' lookup3, as PostgreSQL reads
// words on a little-endian machine, the only kind hcpgen runs on, PGlite's WASM included), written again
// here so that a fingerprint can sum the hash of every text value in JS and compare it with
// `sum(hashtext(col))` in one aggregate query (and a timestamp's, which date_part('epoch') would cost twice). A changed character anywhere in a value changes its hash,
// which a length or a first character does not see. Text under the database's default collation (always
// deterministic) hashes its UTF-8 bytes; test/validation/pg-hash.test.ts compares with the server.

const rot = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

let scratch = new Uint8Array(256);
const encoder = new TextEncoder();

/** The UTF-8 bytes of `s` in a reused buffer, and how many there are. */
function utf8(s: string): number {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  const need = ascii ? s.length : s.length * 3;
  if (scratch.length < need) scratch = new Uint8Array(Math.max(need, scratch.length * 2));
  if (!ascii) return encoder.encodeInto(s, scratch).written;
  for (let i = 0; i < s.length; i++) scratch[i] = s.charCodeAt(i);
  return s.length;
}

/** hashtext(s) as the signed int4 PostgreSQL returns. */
export function pgHashText(s: string): number {
  const len = utf8(s);
  const k = scratch;
  let a = (0x9e3779b9 + len + 3923095) | 0;
  let b = a;
  let c = a;
  let i = 0;
  let n = len;
  const word = (at: number): number => k[at]! | (k[at + 1]! << 8) | (k[at + 2]! << 16) | (k[at + 3]! << 24);
  while (n >= 12) {
    a = (a + word(i)) | 0;
    b = (b + word(i + 4)) | 0;
    c = (c + word(i + 8)) | 0;
    // mix(a, b, c)
    a = (a - c) | 0;
    a ^= rot(c, 4);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rot(a, 6);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rot(b, 8);
    b = (b + a) | 0;
    a = (a - c) | 0;
    a ^= rot(c, 16);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rot(a, 19);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rot(b, 4);
    b = (b + a) | 0;
    i += 12;
    n -= 12;
  }
  // The last 0-11 bytes: little-endian into a and b; into c one byte up (its lowest byte is the length's).
  if (n >= 11) c = (c + (k[i + 10]! << 24)) | 0;
  if (n >= 10) c = (c + (k[i + 9]! << 16)) | 0;
  if (n >= 9) c = (c + (k[i + 8]! << 8)) | 0;
  if (n >= 8) b = (b + (k[i + 7]! << 24)) | 0;
  if (n >= 7) b = (b + (k[i + 6]! << 16)) | 0;
  if (n >= 6) b = (b + (k[i + 5]! << 8)) | 0;
  if (n >= 5) b = (b + k[i + 4]!) | 0;
  if (n >= 4) a = (a + (k[i + 3]! << 24)) | 0;
  if (n >= 3) a = (a + (k[i + 2]! << 16)) | 0;
  if (n >= 2) a = (a + (k[i + 1]! << 8)) | 0;
  if (n >= 1) a = (a + k[i]!) | 0;
  return final(a, b, c);
}

/** lookup3's final(a, b, c): the mixed c. */
function final(a: number, b: number, c: number): number {
  c ^= b;
  c = (c - rot(b, 14)) | 0;
  a ^= c;
  a = (a - rot(c, 11)) | 0;
  b ^= a;
  b = (b - rot(a, 25)) | 0;
  c ^= b;
  c = (c - rot(b, 16)) | 0;
  a ^= c;
  a = (a - rot(c, 4)) | 0;
  b ^= a;
  b = (b - rot(a, 14)) | 0;
  c ^= b;
  c = (c - rot(b, 24)) | 0;
  return c;
}

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

/** timestamp_hash(ts) for a timestamp given as epoch milliseconds (PostgreSQL keeps microseconds since 2000). */
export function pgHashTimestamp(ms: number): number {
  // hashint8: the low word, xor the high word (or its complement below zero), through hash_uint32. Exact:
  // microseconds of any timestamp hcpgen writes stay far below 2^53.
  const v = (ms - PG_EPOCH_MS) * 1000;
  const hi = Math.floor(v / 2 ** 32);
  const lo = v - hi * 2 ** 32;
  const k = (lo ^ (v >= 0 ? hi : ~hi)) | 0;
  const a = (0x9e3779b9 + 4 + 3923095 + k) | 0;
  const b = (0x9e3779b9 + 4 + 3923095) | 0;
  return final(a, b, b);
}
