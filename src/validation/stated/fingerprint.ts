// A table's fingerprint: for every column, how many values are not NULL and an exact sum over them (the value
// of a number, days of a date; PostgreSQL's own hash of a timestamp and of a text, hashtext(), so that one
// changed character anywhere is seen: pg-hash.ts). generate
// computes it from the batches it encoded (the workers, chunk by chunk) and compares it with one aggregate
// query per table over what the database holds: when every table agrees, the database holds the rows the
// generator stated facts about (src/validation/stated/), and those facts may stand in for the passes' scans.
// One scan per table without joins or grouping: a tenth of what the passes cost.
//
// Sums are exact: each chunk's sum is a float64 integer below 2^53 (checked; a chunk past it makes the
// fingerprint unusable, not wrong) and chunks add up as BigInt. float32 columns are summed as doubles, whose
// rounding depends on the order of addition, so they agree within a relative 1e-9.
import type { BatchData } from '../../tables/batch.js';
import { NULL_CODE } from '../../tables/batch.js';
import type { ColumnDef, TableDef } from '../../tables/model.js';
import { ident } from '../sql.js';
import { pgHashText, pgHashTimestamp } from './pg-hash.js';

/** What a list's elements are joined with before hashing (a character no generated value holds). */
const LIST_SEPARATOR = '\u001f';

/** Per column, the parts of its fingerprint in a fixed order (see parts()). */
export type TableFingerprint = number[];

/** What each column contributes: NULL-free count, then one or two sums. */
function parts(c: ColumnDef): string[] {
  switch (c.type) {
    case 'text':
    case 'char':
    case 'timestamp':
      return ['count', 'hash'];
    case 'text_list':
      return ['count', 'items', 'hash'];
    default:
      return ['count', 'sum'];
  }
}

/** The columns a fingerprint covers: every column an encoder writes (hcpgen_runs' are not). */
function covered(def: TableDef): ColumnDef[] {
  return def.columns.filter((c) => c.type !== 'timestamptz' && c.type !== 'jsonb');
}

/** The query of one table's fingerprint: one row, the parts in order as columns f0, f1, ... */
export function fingerprintSql(def: TableDef): string {
  const out: string[] = [];
  for (const c of covered(def)) {
    const col = ident(c.name);
    for (const part of parts(c)) {
      let sql: string;
      // A NOT NULL column's count is the table's (the database enforces it; the batch's count says
      // whether the batch held a NULL there).
      if (part === 'count') sql = c.nullable ? `count(${col})` : 'count(*)';
      else if (part === 'hash') {
        if (c.type === 'text_list') sql = `sum(hashtext(array_to_string(${col}, chr(31))))`;
        else if (c.type === 'timestamp') sql = `sum(timestamp_hash(${col}))`;
        else sql = `sum(hashtext(${col}))`;
      } else if (part === 'items') sql = `sum(cardinality(${col}))`;
      else if (c.type === 'date') sql = `sum(${col} - DATE '1970-01-01')`;
      else if (c.type === 'float32') sql = `sum(CAST(${col} AS float8))`;
      else sql = `sum(${col})`;
      // Exact parts as text: the driver reads a bigint or numeric as a double, which is not exact past 2^53 (a
      // sum of stimulus ids is, from about 100,000 HCPs).
      const exactPart = !(c.type === 'float32' && part === 'sum');
      out.push(`${exactPart ? `CAST(${sql} AS text)` : sql} AS f${out.length}`);
    }
  }
  return `SELECT ${out.join(', ')} FROM ${ident(def.name)}`;
}

/** hashtext() of a value; char(n) without trailing blanks, as its cast to text has it. */
const textHash = (s: string, char: boolean): number => pgHashText(char ? s.replace(/ +$/, '') : s);

/** A sum that is exact as a double, or NaN (the fingerprint is then unusable, not wrong). */
const exact = (sum: number): number => (Math.abs(sum) < 2 ** 53 ? sum : NaN);

/**
 * The fingerprint of one batch. NaN in a part: the batch cannot be fingerprinted exactly (a sum past 2^53),
 * which makes the whole fingerprint unusable.
 */
export function batchFingerprint(def: TableDef, batch: BatchData): TableFingerprint {
  const out: number[] = [];
  def.columns.forEach((c, i) => {
    if (c.type === 'timestamptz' || c.type === 'jsonb') return;
    const data = batch.columns[i]!;
    const char = c.type === 'char';
    if (data.kind === 'num') {
      let count = 0;
      let sum = 0;
      const float = c.type === 'float32';
      const timestamp = c.type === 'timestamp';
      for (let r = 0; r < batch.rows; r++) {
        const v = data.values[r]!;
        if (Number.isNaN(v)) continue;
        count++;
        if (float) sum += Math.fround(v);
        else if (timestamp) sum += pgHashTimestamp(v);
        else sum += v;
      }
      out.push(count, float ? sum : exact(sum));
    } else if (data.kind === 'dict') {
      const per = new Float64Array(data.dict.length);
      for (let r = 0; r < batch.rows; r++) {
        const code = data.codes[r]!;
        if (code !== NULL_CODE) per[code]!++;
      }
      let count = 0;
      let hash = 0;
      data.dict.forEach((v, code) => {
        const n = per[code]!;
        if (n === 0) return;
        count += n;
        hash += n * textHash(v, char);
      });
      out.push(count, exact(hash));
    } else if (data.kind === 'str') {
      let count = 0;
      let hash = 0;
      // Values repeat row after row (an HCP's rep on each of its calls): the last one's hash is reused.
      let last: string | null = null;
      let h = 0;
      for (let r = 0; r < batch.rows; r++) {
        const v = data.values[r];
        if (v === null || v === undefined) continue;
        if (v !== last) {
          h = textHash(v, char);
          last = v;
        }
        count++;
        hash += h;
      }
      out.push(count, exact(hash));
    } else {
      let count = 0;
      let items = 0;
      let hash = 0;
      for (let r = 0; r < batch.rows; r++) {
        const v = data.values[r];
        if (v === null || v === undefined) continue;
        count++;
        items += v.length;
        // array_to_string skips NULL elements.
        hash += pgHashText(v.filter((x) => x !== null).join(LIST_SEPARATOR));
      }
      out.push(count, items, exact(hash));
    }
  });
  return out;
}

/** Adds fingerprints part by part (exact integers as BigInt, float32 sums as doubles). */
export class FingerprintSum {
  private readonly sums: (bigint | number)[];
  private usable = true;
  private readonly float: boolean[];

  constructor(readonly def: TableDef) {
    this.float = covered(def).flatMap((c) => parts(c).map((p) => c.type === 'float32' && p === 'sum'));
    this.sums = this.float.map((f) => (f ? 0 : 0n));
  }

  add(f: TableFingerprint): void {
    if (f.length !== this.sums.length) {
      this.usable = false;
      return;
    }
    f.forEach((v, i) => {
      if (!Number.isFinite(v) || (!this.float[i] && !Number.isInteger(v))) this.usable = false;
      else if (this.float[i]) this.sums[i] = (this.sums[i] as number) + v;
      else this.sums[i] = (this.sums[i] as bigint) + BigInt(v);
    });
  }

  /**
   * Whether the database's row of fingerprintSql() is this fingerprint. A sum over no rows is NULL there and 0
   * here; counts say whether there were rows.
   */
  matches(row: Record<string, unknown>): boolean {
    if (!this.usable) return false;
    return this.sums.every((mine, i) => {
      const theirs = row[`f${i}`];
      if (this.float[i]) {
        const t = theirs === null || theirs === undefined ? 0 : Number(theirs);
        const m = mine as number;
        return Math.abs(t - m) <= 1e-9 * Math.max(1, Math.abs(m));
      }
      if (theirs === null || theirs === undefined) return mine === 0n;
      const text = String(theirs);
      return /^-?\d+$/.test(text) && BigInt(text) === mine;
    });
  }
}
