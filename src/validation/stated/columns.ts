// Reading a batch's columns for the stated facts (group-facts.ts, model-data.ts): numbers as they are, text by
// row or as codes into its distinct values (so a per-value question is answered once per value, not per row),
// and the row of an id.
import { NULL_CODE, TableBatch, type BatchData } from '../../tables/batch.js';
import { tableDef } from '../../tables/tables.js';

/** Reads a text column (dictionary or not) by row; char(n) without trailing blanks, as text comparisons see it. */
export function textOf(b: BatchData, col: number, char = false): (r: number) => string | null {
  const c = b.columns[col]!;
  const trim = (v: string): string => (char ? v.replace(/ +$/, '') : v);
  if (c.kind === 'dict') {
    const dict = c.dict.map(trim);
    return (r) => {
      const code = c.codes[r]!;
      return code === NULL_CODE ? null : dict[code]!;
    };
  }
  if (c.kind === 'str') return (r) => (c.values[r] == null ? null : trim(c.values[r]!));
  throw new Error(`${b.table} column ${col} is not text`);
}

export function numOf(b: BatchData, col: number): Float64Array {
  const c = b.columns[col]!;
  if (c.kind !== 'num') throw new Error(`${b.table} column ${col} is not a number`);
  return c.values;
}

/** A table's batch without rows (every column there, of its kind), for a group that has none of the table. */
export function empty(table: string): BatchData {
  return new TableBatch(tableDef(table), 1).data();
}

/** Row of an id in a batch, or -1; built once per group. */
export interface RowIndex {
  get(id: number): number;
}

/**
 * The rows of a batch by an id column; null when an id repeats or is NULL (the passes' joins would repeat or
 * drop rows). Generated ids are consecutive (profiles) or increasing (stimuli), so the index is arithmetic or
 * a binary search; anything else gets a Map.
 */
export function rowIndex(ids: Float64Array, rows: number): RowIndex | null {
  if (rows === 0) return { get: () => -1 };
  const base = ids[0]!;
  let consecutive = base === base;
  let increasing = consecutive;
  for (let r = 1; r < rows && increasing; r++) {
    const v = ids[r]!;
    if (v !== base + r) consecutive = false;
    if (!(v > ids[r - 1]!)) increasing = false;
  }
  if (consecutive) {
    return {
      get: (id) => {
        const i = id - base;
        return i >= 0 && i < rows && i === Math.floor(i) ? i : -1;
      },
    };
  }
  if (increasing) {
    // Lookups come in id order too (an outcome after its stimulus's predecessor's): a few steps on from the
    // last row found before a binary search.
    let last = 0;
    return {
      get: (id) => {
        for (let i = last; i < last + 4 && i < rows; i++) {
          if (ids[i] === id) return (last = i);
          if (ids[i]! > id) break;
        }
        let lo = 0;
        let hi = rows - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >>> 1;
          const v = ids[mid]!;
          if (v < id) lo = mid + 1;
          else if (v > id) hi = mid - 1;
          else return (last = mid);
        }
        return -1;
      },
    };
  }
  const map = new Map<number, number>();
  for (let r = 0; r < rows; r++) {
    const v = ids[r]!;
    if (Number.isNaN(v) || map.has(v)) return null;
    map.set(v, r);
  }
  return { get: (id) => map.get(id) ?? -1 };
}

/**
 * A text column as codes into its values, NULL as code values.length (so a per-code table is values + 1 long);
 * a plain text column is coded here.
 */
export function coded(b: BatchData, col: number): { codes: Uint16Array; values: string[] } {
  const c = b.columns[col]!;
  if (c.kind === 'dict') {
    const nullAt = c.dict.length;
    let codes = c.codes;
    for (let r = 0; r < b.rows; r++) {
      if (codes[r] !== NULL_CODE) continue;
      if (codes === c.codes) codes = c.codes.slice(0, b.rows);
      codes[r] = nullAt;
    }
    return { codes, values: c.dict };
  }
  if (c.kind !== 'str') throw new Error(`${b.table} column ${col} is not text`);
  const raw = new Array<number>(b.rows);
  const values: string[] = [];
  const seen = new Map<string, number>();
  for (let r = 0; r < b.rows; r++) {
    const v = c.values[r];
    if (v == null) {
      raw[r] = -1;
      continue;
    }
    let code = seen.get(v);
    if (code === undefined) {
      code = values.length;
      if (code === NULL_CODE) throw new Error(`${b.table} column ${col}: too many distinct values to code`);
      seen.set(v, code);
      values.push(v);
    }
    raw[r] = code;
  }
  const codes = Uint16Array.from(raw, (x) => (x < 0 ? values.length : x));
  return { codes, values };
}

/** Per code of a coded column (the NULL code last): whether `test` holds for its value. */
export function flags(values: readonly string[], test: (v: string | null) => boolean): Uint8Array {
  const out = new Uint8Array(values.length + 1);
  values.forEach((v, i) => (out[i] = test(v) ? 1 : 0));
  out[values.length] = test(null) ? 1 : 0;
  return out;
}
