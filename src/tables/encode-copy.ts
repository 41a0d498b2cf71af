// PostgreSQL binary COPY tuples from a batch (the PostgreSQL and embedded sinks load every table this way: the
// server parses binary in about half the CPU of CSV). Field writers are chosen once per column from the model's
// logical type; dictionary values are encoded once per batch and copied as bytes.
import { BinaryRowWriter, encodeTextField } from '../db/copy-format.js';
import type { BatchData, ColumnData } from './batch.js';
import { NULL_CODE } from './batch.js';
import type { ColumnDef, TableDef } from './model.js';

type FieldWriter = (w: BinaryRowWriter, row: number) => void;

function fieldWriter(c: ColumnDef, data: ColumnData): FieldWriter {
  if (data.kind === 'dict') {
    const encoded = data.dict.map(encodeTextField);
    const codes = data.codes;
    return (w, r) => {
      const code = codes[r]!;
      if (code === NULL_CODE) w.nul();
      else w.bytes(encoded[code]!);
    };
  }
  if (data.kind === 'str') {
    const values = data.values;
    return (w, r) => {
      const v = values[r];
      if (v === null || v === undefined) w.nul();
      else w.text(v);
    };
  }
  if (data.kind === 'list') {
    const values = data.values;
    return (w, r) => {
      const v = values[r];
      if (v === null || v === undefined) w.nul();
      else w.textArray(v);
    };
  }
  const v = data.values;
  const num = (put: (w: BinaryRowWriter, x: number) => void): FieldWriter =>
    c.nullable
      ? (w, r) => {
          const x = v[r]!;
          if (Number.isNaN(x)) w.nul();
          else put(w, x);
        }
      : (w, r) => put(w, v[r]!);
  switch (c.type) {
    case 'int16':
      return num((w, x) => w.int2(x));
    case 'int32':
      return num((w, x) => w.int4(x));
    case 'int64':
      return num((w, x) => w.int8(x));
    case 'float32':
      return num((w, x) => w.float4(x));
    case 'date':
      return num((w, x) => w.date(x));
    case 'timestamp':
      return num((w, x) => w.timestamp(x));
    default:
      throw new Error(`column ${c.name}: no binary COPY encoding for ${c.type}`);
  }
}

/** Bare binary COPY tuples of every row of the batch (the target adds the header and trailer). */
export function encodeCopyBinary(def: TableDef, batch: BatchData, bytesPerRow = 64): Uint8Array {
  const w = new BinaryRowWriter(Math.max(1024, batch.rows * bytesPerRow));
  const fields = def.columns.map((c, i) => fieldWriter(c, batch.columns[i]!));
  const n = fields.length;
  for (let r = 0; r < batch.rows; r++) {
    w.row(n);
    for (let f = 0; f < n; f++) fields[f]!(w, r);
  }
  return w.finish();
}
