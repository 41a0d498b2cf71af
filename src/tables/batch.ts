// A columnar batch of one table's rows: what the steps fill and every encoder reads. Steps never see CSV, COPY
// or Parquet; they set typed values by column position (columnIndex() of the declaration), and the encoder of
// the sink turns the batch into bytes. The layout is chosen for speed and for crossing threads cheaply:
//
// - numbers, dates and timestamps: one Float64Array per column (int16/int32/int64 as exact integers, float32 as
//   the double the step computed, a date as days since 1970-01-01, a timestamp as epoch milliseconds of its wall
//   time); NaN is NULL;
// - dictionary text (few distinct values): a Uint16Array of codes into a per-batch dictionary; NULL_CODE is NULL.
//   A step that knows a value's index in the plan (channel #2) fixes the dictionary up front and sets codes;
//   anything else sets strings, which are looked up (and appended) as they come;
// - other text: an array of strings (null = NULL); text lists: an array of string arrays.
//
// A batch grows by doubling, so a step need not know its row count in advance.
import type { ColumnDef, TableDef } from './model.js';

export const NULL_CODE = 0xffff;

export type ColumnData =
  | { readonly kind: 'num'; values: Float64Array }
  | { readonly kind: 'dict'; codes: Uint16Array; readonly dict: string[] }
  | { readonly kind: 'str'; values: (string | null)[] }
  | { readonly kind: 'list'; values: (readonly string[] | null)[] };

/** A batch as plain data (what crosses a thread boundary): the table's name, the row count, the columns. */
export interface BatchData {
  table: string;
  rows: number;
  columns: ColumnData[];
}

export function columnKind(c: ColumnDef): ColumnData['kind'] {
  switch (c.type) {
    case 'text':
    case 'char':
      return c.dictionary ? 'dict' : 'str';
    case 'text_list':
      return 'list';
    case 'timestamptz':
    case 'jsonb':
      throw new Error(`column ${c.name}: ${c.type} columns are not written through batches`);
    default:
      return 'num';
  }
}

export class TableBatch implements BatchData {
  readonly table: string;
  rows = 0;
  readonly columns: ColumnData[];
  private capacity: number;
  /** Per dictionary column: value -> code. */
  private readonly lookup: (Map<string, number> | null)[];

  constructor(
    readonly def: TableDef,
    capacity = 256,
  ) {
    this.table = def.name;
    this.capacity = Math.max(1, capacity);
    this.columns = def.columns.map((c): ColumnData => {
      const kind = columnKind(c);
      if (kind === 'num') return { kind, values: new Float64Array(this.capacity) };
      if (kind === 'dict') return { kind, codes: new Uint16Array(this.capacity), dict: [] };
      if (kind === 'str') return { kind, values: [] };
      return { kind, values: [] };
    });
    this.lookup = this.columns.map((c) => (c.kind === 'dict' ? new Map() : null));
  }

  /** Fixes a dictionary column's first codes: code i is values[i]. Call before setting any value. */
  dictionary(col: number, values: readonly string[]): this {
    const c = this.columns[col];
    const map = this.lookup[col];
    if (c?.kind !== 'dict' || !map) throw new Error(`${this.table} column ${col} is not a dictionary column`);
    if (c.dict.length > 0) throw new Error(`${this.table} column ${col}: dictionary already has values`);
    for (const v of values) this.code(col, map, c.dict, v);
    return this;
  }

  /** Appends a row (every column 0 / empty until set) and returns its index. */
  row(): number {
    if (this.rows === this.capacity) this.grow();
    return this.rows++;
  }

  /** Makes room for `extra` more rows, so that the arrays num() and codes() return stay valid for them. */
  reserve(extra: number): void {
    while (this.rows + extra > this.capacity) this.grow();
  }

  /** Appends `n` rows at once (after reserve(n)); returns the first one's index. */
  rowsAdded(n: number): number {
    const first = this.rows;
    this.rows += n;
    return first;
  }

  /** The current array of a number column (replaced when the batch grows: take it after reserve()). */
  num(col: number): Float64Array {
    return (this.columns[col] as { values: Float64Array }).values;
  }

  /** The current code array of a dictionary column (take it after reserve()). */
  codes(col: number): Uint16Array {
    return (this.columns[col] as { codes: Uint16Array }).codes;
  }

  setNum(col: number, row: number, value: number): void {
    (this.columns[col] as { values: Float64Array }).values[row] = value;
  }

  setCode(col: number, row: number, code: number): void {
    (this.columns[col] as { codes: Uint16Array }).codes[row] = code;
  }

  /** A text value of any text column (dictionary or not); null is NULL. */
  setText(col: number, row: number, value: string | null): void {
    const c = this.columns[col]!;
    if (c.kind === 'str') {
      c.values[row] = value;
    } else if (c.kind === 'dict') {
      c.codes[row] = value === null ? NULL_CODE : this.code(col, this.lookup[col]!, c.dict, value);
    } else {
      throw new Error(`${this.table}.${this.def.columns[col]?.name}: not a text column`);
    }
  }

  setList(col: number, row: number, value: readonly string[] | null): void {
    (this.columns[col] as { values: (readonly string[] | null)[] }).values[row] = value;
  }

  /** NULL in any column. */
  setNull(col: number, row: number): void {
    const c = this.columns[col]!;
    if (c.kind === 'num') c.values[row] = NaN;
    else if (c.kind === 'dict') c.codes[row] = NULL_CODE;
    else c.values[row] = null;
  }

  /** The rows as plain data, typed arrays trimmed to the row count (views: the batch must not grow after). */
  data(): BatchData {
    return {
      table: this.table,
      rows: this.rows,
      columns: this.columns.map((c): ColumnData => {
        if (c.kind === 'num') return { kind: 'num', values: c.values.subarray(0, this.rows) };
        if (c.kind === 'dict') return { kind: 'dict', codes: c.codes.subarray(0, this.rows), dict: c.dict };
        return c;
      }),
    };
  }

  private code(col: number, map: Map<string, number>, dict: string[], value: string): number {
    let code = map.get(value);
    if (code === undefined) {
      code = dict.length;
      if (code >= NULL_CODE)
        throw new Error(`${this.table}.${this.def.columns[col]?.name}: too many distinct values`);
      dict.push(value);
      map.set(value, code);
    }
    return code;
  }

  private grow(): void {
    this.capacity = Math.max(1, this.capacity * 2);
    for (const c of this.columns) {
      if (c.kind === 'num') {
        const next = new Float64Array(this.capacity);
        next.set(c.values);
        c.values = next;
      } else if (c.kind === 'dict') {
        const next = new Uint16Array(this.capacity);
        next.set(c.codes);
        c.codes = next;
      }
    }
  }
}

/** Buffers a batch's typed arrays own, for transferring it to another thread instead of copying. */
export function transferables(batch: BatchData): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const c of batch.columns) {
    if (c.kind === 'num') out.push(c.values.buffer as ArrayBuffer);
    else if (c.kind === 'dict') out.push(c.codes.buffer as ArrayBuffer);
  }
  return out;
}

/** The value of one cell as a plain JS value (numbers, strings, string arrays, null): for tests and fixtures. */
export function cell(batch: BatchData, col: number, row: number): number | string | readonly string[] | null {
  const c = batch.columns[col]!;
  if (c.kind === 'num') {
    const v = c.values[row]!;
    return Number.isNaN(v) ? null : v;
  }
  if (c.kind === 'dict') {
    const code = c.codes[row]!;
    return code === NULL_CODE ? null : c.dict[code]!;
  }
  return c.values[row] ?? null;
}
