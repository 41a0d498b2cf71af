// Query results for people and tools: a psql-style text table, RFC 4180 CSV, or JSON, written page by page as
// the rows arrive (src/db/query-stream.ts), so that no result is ever held whole. Rows are arrays in column
// order: two columns of the same name (`select sum(nrx), sum(trx)`) stay two columns.
//
// Text table: one header line, a rule, aligned columns, a row count. NULL prints as `(null)` (an empty string
// as an empty cell), arrays as PostgreSQL array literals, objects as JSON, Dates in ISO 8601, bytes as \x hex.
// Column widths come from the first page (up to 1,000 rows); a longer value further down widens only its line.
import { csvField, pgArrayLiteral } from './csv.js';
import { JsonText } from './json-text.js';

export const NULL_TEXT = '(null)';

export type Cells = readonly unknown[];

/** Writes text, resolving once the destination has room again (backpressure). */
export type Write = (text: string) => Promise<void>;

/** What a renderer is told about the result, in this order: columns, pages of rows, the end. */
export interface ResultRenderer {
  /** The result's column names (duplicates and `?column?` as the database gives them). */
  columns(names: readonly string[]): Promise<void>;
  rows(page: readonly Cells[]): Promise<void>;
  /**
   * The end of a row-returning result: `rows` rows were written, `truncated` if more were left unread (--limit).
   * For a statement that returns no rows, columns() is never called and `rows` is its row count or null.
   */
  end(rows: number | null, truncated: boolean): Promise<void>;
}

function bytesText(b: Uint8Array): string {
  return `\\x${Buffer.from(b).toString('hex')}`;
}

/** One value as a table cell (unescaped). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return NULL_TEXT;
  if (value instanceof JsonText) return value.text;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return bytesText(value);
  if (Array.isArray(value)) return pgArrayLiteral(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Width of a string on a terminal, counting each code point once (good enough for tables of data). */
function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function pad(s: string, w: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
}

const plural = (n: number, word: string): string =>
  `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** "OK" or "OK, 3 rows": what a statement that returns no rows prints. */
export function statusLine(rowCount: number | null): string {
  return rowCount === null ? 'OK\n' : `OK, ${plural(rowCount, 'row')}\n`;
}

export class TableRenderer implements ResultRenderer {
  private names: readonly string[] = [];
  private widths: number[] = [];
  private numeric: boolean[] = [];
  private started = false;

  constructor(
    private readonly write: Write,
    /** The row limit in force, for the note when it cuts (0 = none). */
    private readonly limit: number,
  ) {}

  private hasColumns = false;

  async columns(names: readonly string[]): Promise<void> {
    this.names = names;
    this.hasColumns = true;
  }

  async rows(page: readonly Cells[]): Promise<void> {
    // Newlines and tabs inside values would break the grid: show them escaped.
    const cells = page.map((row) =>
      this.names.map((_, i) => cellText(row[i]).replaceAll('\n', '\\n').replaceAll('\t', '\\t')),
    );
    if (!this.started) await this.header(page, cells);
    const out: string[] = [];
    for (const c of cells) out.push(this.line(c, this.numeric));
    if (out.length > 0) await this.write(out.join('\n') + '\n');
  }

  async end(rows: number | null, truncated: boolean): Promise<void> {
    if (!this.hasColumns) return this.write(statusLine(rows));
    if (!this.started) await this.header([], []);
    const count = `(${plural(rows ?? 0, 'row')})`;
    const note = truncated
      ? `(only the first ${plural(this.limit, 'row')} shown: --limit N shows more, --limit 0 all; --csv --out FILE exports every row)`
      : count;
    await this.write(`${note}\n`);
  }

  /** Widths and alignment from the first page: numbers (and NULLs among them) align right. */
  private async header(page: readonly Cells[], cells: string[][]): Promise<void> {
    this.started = true;
    this.numeric = this.names.map(
      (_, i) =>
        page.length > 0 &&
        page.every((r) => typeof r[i] === 'number' || r[i] === null || r[i] === undefined) &&
        page.some((r) => typeof r[i] === 'number'),
    );
    this.widths = this.names.map((n, i) => {
      let w = width(n);
      for (const c of cells) w = Math.max(w, width(c[i] ?? ''));
      return w;
    });
    const head = this.line(
      this.names,
      this.names.map(() => false),
    );
    await this.write(`${head}\n${this.widths.map((w) => '-'.repeat(w)).join('-+-')}\n`);
  }

  private line(values: readonly string[], align: readonly boolean[]): string {
    return values
      .map((v, i) => pad(v, this.widths[i] ?? 0, align[i] ?? false))
      .join(' | ')
      .trimEnd();
  }
}

/** A value as one CSV field: PostgreSQL's CSV (NULL = empty unquoted, '' = `""`), bytes as \x hex. */
function csvCell(value: unknown): string {
  if (value instanceof JsonText) return csvField(value.text);
  return csvField(value instanceof Uint8Array ? bytesText(value) : value);
}

/**
 * RFC 4180: a header line, CRLF line ends, fields quoted when they hold a quote, comma, CR or LF (and, as
 * PostgreSQL's COPY needs, a backslash or edge whitespace). `COPY t FROM ... WITH (FORMAT csv, HEADER)` reads it
 * back exactly, NULLs included.
 */
export class CsvRenderer implements ResultRenderer {
  constructor(private readonly write: Write) {}

  async columns(names: readonly string[]): Promise<void> {
    await this.write(names.map((n) => csvField(n)).join(',') + '\r\n');
  }

  async rows(page: readonly Cells[]): Promise<void> {
    let text = '';
    for (const row of page) text += row.map(csvCell).join(',') + '\r\n';
    if (text) await this.write(text);
  }

  async end(rows: number | null, truncated: boolean): Promise<void> {
    void rows;
    void truncated;
  }
}

/** JSON object keys for the columns: the names, with a repeated one made unique as `name_2`, `name_3`, ... */
export function uniqueKeys(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let key = name;
    for (let k = 2; used.has(key); k++) key = `${name}_${k}`;
    used.add(key);
    return key;
  });
}

function jsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof JsonText) return JSON.parse(value.text) as unknown;
  if (value instanceof Uint8Array) return bytesText(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * `--json`: `{"fields": [...], "rows": [{...}, ...], "rowCount": n, "truncated": false}`, streamed. Each row is
 * an object keyed by `fields` (repeated column names made unique: `sum`, `sum_2`).
 */
export class JsonRenderer implements ResultRenderer {
  private keys: string[] = [];
  private first = true;
  private started = false;

  constructor(private readonly write: Write) {}

  async columns(names: readonly string[]): Promise<void> {
    this.keys = uniqueKeys(names);
    this.started = true;
    await this.write(`{\n  "fields": ${JSON.stringify(this.keys)},\n  "rows": [`);
  }

  async rows(page: readonly Cells[]): Promise<void> {
    let text = '';
    for (const row of page) {
      const o: Record<string, unknown> = {};
      this.keys.forEach((k, i) => (o[k] = jsonValue(row[i])));
      text += `${this.first ? '\n' : ',\n'}    ${JSON.stringify(o)}`;
      this.first = false;
    }
    if (text) await this.write(text);
  }

  async end(rows: number | null, truncated: boolean): Promise<void> {
    if (!this.started) {
      await this.write(
        `{\n  "fields": [],\n  "rows": [],\n  "rowCount": ${JSON.stringify(rows)},\n  "truncated": false\n}\n`,
      );
      return;
    }
    await this.write(
      `${this.first ? '' : '\n  '}],\n  "rowCount": ${rows ?? 0},\n  "truncated": ${truncated}\n}\n`,
    );
  }
}

/** A whole small result (a few dozen rows) as the text table, at once: for commands' own listings. */
export async function tableText(names: readonly string[], rows: readonly Cells[]): Promise<string> {
  let text = '';
  const r = new TableRenderer(async (t) => void (text += t), 0);
  await r.columns(names);
  await r.rows(rows);
  await r.end(rows.length, false);
  return text;
}
