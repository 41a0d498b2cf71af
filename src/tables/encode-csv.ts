// CSV from a batch, in PostgreSQL's CSV encoding (src/db/csv.ts: NULL is an empty unquoted field, '' is `""`,
// timestamps `YYYY-MM-DD HH:MM:SS`, lists as array literals), optionally with a header line: the file sink's
// CSV format, loadable with `COPY ... WITH (FORMAT csv, HEADER)`, DuckDB's read_csv or any warehouse loader.
import { csvField, pgArrayLiteral } from '../db/csv.js';
import { encodeField, RowWriter } from '../steps/row-writer.js';
import { MS_PER_DAY } from '../time/calendar.js';
import type { BatchData, ColumnData } from './batch.js';
import { NULL_CODE } from './batch.js';
import type { ColumnDef, TableDef } from './model.js';

type FieldWriter = (w: RowWriter, row: number) => void;

function fieldWriter(c: ColumnDef, data: ColumnData): FieldWriter {
  if (data.kind === 'dict') {
    const encoded = data.dict.map((v) => encodeField(v));
    const codes = data.codes;
    return (w, r) => {
      const code = codes[r]!;
      if (code !== NULL_CODE) w.bytes(encoded[code]!);
    };
  }
  if (data.kind === 'str') {
    const values = data.values;
    return (w, r) => {
      const v = values[r];
      if (v !== null && v !== undefined) w.text(v);
    };
  }
  if (data.kind === 'list') {
    const values = data.values;
    return (w, r) => {
      const v = values[r];
      if (v !== null && v !== undefined) w.text(pgArrayLiteral(v));
    };
  }
  const v = data.values;
  const num =
    (put: (w: RowWriter, x: number) => void): FieldWriter =>
    (w, r) => {
      const x = v[r]!;
      if (!Number.isNaN(x)) put(w, x);
    };
  switch (c.type) {
    case 'int16':
    case 'int32':
    case 'int64':
      return num((w, x) => w.int(x));
    case 'float32':
      return num((w, x) => w.num(x));
    case 'date':
      return num((w, x) => w.date(x * MS_PER_DAY));
    case 'timestamp':
      return num((w, x) => w.dateTime(x));
    default:
      throw new Error(`column ${c.name}: no CSV encoding for ${c.type}`);
  }
}

/** The header line of a table's CSV files. */
export function csvHeader(def: TableDef): Uint8Array {
  return new TextEncoder().encode(def.columns.map((c) => csvField(c.name)).join(',') + '\n');
}

/** CSV lines of every row of the batch, newline-terminated. */
export function encodeCsv(def: TableDef, batch: BatchData, bytesPerRow = 96): Uint8Array {
  const w = new RowWriter(Math.max(1024, batch.rows * bytesPerRow));
  const fields = def.columns.map((c, i) => fieldWriter(c, batch.columns[i]!));
  const n = fields.length;
  for (let r = 0; r < batch.rows; r++) {
    fields[0]!(w, r);
    for (let f = 1; f < n; f++) {
      w.comma();
      fields[f]!(w, r);
    }
    w.newline();
  }
  return w.finish();
}
