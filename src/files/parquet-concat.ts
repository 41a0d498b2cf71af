// Several Parquet files of one schema joined into one file without decoding a value: the data regions (column
// chunks, page indexes, bloom filters) are copied as they are, one after another, and a new footer lists every
// row group, its offsets moved by where its part now starts. This is what lets a table's files be warehouse-sized
// (hundreds of MB) while DuckDB only ever stages one part in memory (docs/adr/0002-parquet-writer.md). The footer
// is Thrift compact protocol; it is decoded generically (every field kept, in order) and re-encoded the way the
// Thrift writer does, so only the fields changed below change bytes.
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

const MAGIC = Buffer.from('PAR1');

// Thrift compact type ids.
const BOOL_TRUE = 1;
const BOOL_FALSE = 2;
const BYTE = 3;
const I16 = 4;
const I32 = 5;
const I64 = 6;
const DOUBLE = 7;
const BINARY = 8;
const LIST = 9;
const SET = 10;
const MAP = 11;
const STRUCT = 12;

type Value = boolean | number | bigint | Uint8Array | ListValue | MapValue | Field[];
interface Field {
  id: number;
  type: number;
  value: Value;
}
interface ListValue {
  elemType: number;
  items: Value[];
}
interface MapValue {
  keyType: number;
  valueType: number;
  entries: [Value, Value][];
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.buf.length) throw new Error('Parquet footer ends early');
    return this.buf[this.pos++]!;
  }

  varint(): bigint {
    let shift = 0n;
    let out = 0n;
    for (;;) {
      const b = this.byte();
      out |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return out;
      shift += 7n;
    }
  }

  zigzag(): bigint {
    const n = this.varint();
    return (n >> 1n) ^ -(n & 1n);
  }

  bytes(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new Error('Parquet footer ends early');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  value(type: number): Value {
    switch (type) {
      case BOOL_TRUE:
        return true;
      case BOOL_FALSE:
        return false;
      case BYTE:
        return this.byte();
      case I16:
      case I32:
        return Number(this.zigzag());
      case I64:
        return this.zigzag();
      case DOUBLE:
        return this.bytes(8);
      case BINARY:
        return this.bytes(Number(this.varint()));
      case LIST:
      case SET: {
        const h = this.byte();
        const size = h >> 4 === 15 ? Number(this.varint()) : h >> 4;
        const elemType = h & 0x0f;
        const items: Value[] = [];
        // Booleans inside a container are one byte each.
        for (let i = 0; i < size; i++)
          items.push(elemType <= BOOL_FALSE ? this.byte() : this.value(elemType));
        return { elemType, items };
      }
      case MAP: {
        const size = Number(this.varint());
        if (size === 0) return { keyType: 0, valueType: 0, entries: [] };
        const kv = this.byte();
        const keyType = kv >> 4;
        const valueType = kv & 0x0f;
        const entries: [Value, Value][] = [];
        for (let i = 0; i < size; i++) entries.push([this.value(keyType), this.value(valueType)]);
        return { keyType, valueType, entries };
      }
      case STRUCT:
        return this.struct();
      default:
        throw new Error(`Parquet footer: unknown Thrift type ${type}`);
    }
  }

  struct(): Field[] {
    const fields: Field[] = [];
    let last = 0;
    for (;;) {
      const h = this.byte();
      if (h === 0) return fields;
      const type = h & 0x0f;
      const id = h >> 4 === 0 ? Number(this.zigzag()) : last + (h >> 4);
      fields.push({ id, type, value: this.value(type) });
      last = id;
    }
  }
}

class Writer {
  private buf = new Uint8Array(1 << 16);
  len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }

  varint(n: bigint): void {
    do {
      const b = Number(n & 0x7fn);
      n >>= 7n;
      this.byte(n > 0n ? b | 0x80 : b);
    } while (n > 0n);
  }

  zigzag(n: bigint): void {
    this.varint(BigInt.asUintN(64, (n << 1n) ^ (n >> 63n)));
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  value(type: number, v: Value): void {
    switch (type) {
      case BOOL_TRUE:
      case BOOL_FALSE:
        return; // carried by the field header
      case BYTE:
        return this.byte(v as number);
      case I16:
      case I32:
        return this.zigzag(BigInt(v as number));
      case I64:
        return this.zigzag(v as bigint);
      case DOUBLE:
        return this.bytes(v as Uint8Array);
      case BINARY:
        this.varint(BigInt((v as Uint8Array).length));
        return this.bytes(v as Uint8Array);
      case LIST:
      case SET: {
        const l = v as ListValue;
        if (l.items.length < 15) this.byte((l.items.length << 4) | l.elemType);
        else {
          this.byte(0xf0 | l.elemType);
          this.varint(BigInt(l.items.length));
        }
        for (const item of l.items) {
          if (l.elemType <= BOOL_FALSE) this.byte(item as number);
          else this.value(l.elemType, item);
        }
        return;
      }
      case MAP: {
        const m = v as MapValue;
        this.varint(BigInt(m.entries.length));
        if (m.entries.length === 0) return;
        this.byte((m.keyType << 4) | m.valueType);
        for (const [k, x] of m.entries) {
          this.value(m.keyType, k);
          this.value(m.valueType, x);
        }
        return;
      }
      case STRUCT:
        return this.struct(v as Field[]);
      default:
        throw new Error(`Parquet footer: unknown Thrift type ${type}`);
    }
  }

  struct(fields: readonly Field[]): void {
    let last = 0;
    for (const f of fields) {
      const type =
        f.type === BOOL_TRUE || f.type === BOOL_FALSE ? (f.value ? BOOL_TRUE : BOOL_FALSE) : f.type;
      const delta = f.id - last;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
      else {
        this.byte(type);
        this.zigzag(BigInt(f.id));
      }
      this.value(type, f.value);
      last = f.id;
    }
    this.byte(0);
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

const field = (s: Field[], id: number): Field | undefined => s.find((f) => f.id === id);

/** Adds `by` to the i64 field `id` of a struct, if present. */
function shift(s: Field[], id: number, by: bigint): void {
  const f = field(s, id);
  if (f && f.type === I64) f.value = (f.value as bigint) + by;
}

// Parquet's FileMetaData, RowGroup, ColumnChunk and ColumnMetaData field ids (parquet.thrift).
const FMD_NUM_ROWS = 3;
const FMD_ROW_GROUPS = 4;
const RG_COLUMNS = 1;
const RG_FILE_OFFSET = 5;
const RG_ORDINAL = 7;
const CC_FILE_OFFSET = 2;
const CC_META_DATA = 3;
const CC_OFFSET_INDEX_OFFSET = 4;
const CC_COLUMN_INDEX_OFFSET = 6;
const CMD_OFFSETS = [9, 10, 11, 14]; // data page, index page, dictionary page, bloom filter

/** A file's footer, decoded, and where its data region ends. */
async function readFooter(fh: FileHandle, file: string): Promise<{ meta: Field[]; dataEnd: number }> {
  const { size } = await fh.stat();
  const tail = Buffer.alloc(8);
  if (size < 12 || (await fh.read(tail, 0, 8, size - 8)).bytesRead !== 8 || !tail.subarray(4).equals(MAGIC)) {
    throw new Error(`${file} is not a Parquet file`);
  }
  const len = tail.readUInt32LE(0);
  const footer = Buffer.alloc(len);
  await fh.read(footer, 0, len, size - 8 - len);
  return { meta: new Reader(footer).struct(), dataEnd: size - 8 - len };
}

/** Decodes and re-encodes a Parquet footer (for tests: must give the same bytes). */
export function roundTripFooter(footer: Uint8Array): Uint8Array {
  const w = new Writer();
  w.struct(new Reader(footer).struct());
  return w.result();
}

/**
 * Writes `parts` (Parquet files with the same schema, in order) as one Parquet file at `out` and returns its
 * size and SHA-256. The rows are the parts' rows in order; every part's row groups are kept as they are.
 */
export async function concatParquet(
  parts: readonly string[],
  out: string,
): Promise<{ bytes: number; sha256: string }> {
  if (parts.length === 0) throw new Error('no Parquet parts to join');
  const hash = createHash('sha256');
  const target = await open(out, 'wx');
  let written = 0;
  const put = async (b: Uint8Array): Promise<void> => {
    let done = 0;
    while (done < b.length) done += (await target.write(b, done, b.length - done)).bytesWritten;
    hash.update(b);
    written += b.length;
  };
  try {
    await put(MAGIC);
    let meta: Field[] | null = null;
    const groups: Value[] = [];
    let rows = 0n;
    const copy = Buffer.alloc(8 << 20);
    for (const part of parts) {
      const fh = await open(part, 'r');
      try {
        const footer = await readFooter(fh, part);
        // Offsets in this part are from its own start; its data now starts at `written` instead of at 4.
        const by = BigInt(written - MAGIC.length);
        const list = field(footer.meta, FMD_ROW_GROUPS)!.value as ListValue;
        for (const g of list.items as Field[][]) {
          shift(g, RG_FILE_OFFSET, by);
          for (const cc of (field(g, RG_COLUMNS)!.value as ListValue).items as Field[][]) {
            shift(cc, CC_FILE_OFFSET, by);
            shift(cc, CC_OFFSET_INDEX_OFFSET, by);
            shift(cc, CC_COLUMN_INDEX_OFFSET, by);
            const md = field(cc, CC_META_DATA);
            if (md) for (const id of CMD_OFFSETS) shift(md.value as Field[], id, by);
          }
          const ordinal = field(g, RG_ORDINAL);
          if (ordinal) ordinal.value = groups.length;
          groups.push(g);
        }
        rows += field(footer.meta, FMD_NUM_ROWS)!.value as bigint;
        meta ??= footer.meta;
        for (let pos = MAGIC.length; pos < footer.dataEnd;) {
          const { bytesRead } = await fh.read(copy, 0, Math.min(copy.length, footer.dataEnd - pos), pos);
          if (bytesRead <= 0) throw new Error(`${part} ended while it was copied`);
          await put(copy.subarray(0, bytesRead));
          pos += bytesRead;
        }
      } finally {
        await fh.close();
      }
    }
    field(meta!, FMD_NUM_ROWS)!.value = rows;
    (field(meta!, FMD_ROW_GROUPS)!.value as ListValue).items = groups;
    const w = new Writer();
    w.struct(meta!);
    const footer = w.result();
    const len = Buffer.alloc(4);
    len.writeUInt32LE(footer.length, 0);
    await put(footer);
    await put(len);
    await put(MAGIC);
  } finally {
    await target.close();
  }
  return { bytes: written, sha256: hash.digest('hex') };
}
