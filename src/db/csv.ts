// CSV text for PostgreSQL's `COPY ... WITH (FORMAT csv)`, the one encoding both targets load.
//
// Encoding (PostgreSQL's CSV rules, default options: delimiter `,`, quote `"`, NULL = unquoted empty field):
// - null / undefined      -> empty, unquoted field: NULL.
// - ''                    -> `""`: a quoted empty field is an empty string, not NULL.
// - other strings         -> bare when they hold nothing special; quoted (inner `"` doubled) when they contain
//                            `"`, `,`, CR, LF or a backslash, or start/end with whitespace. The backslash rule keeps
//                            a lone `\.` line from ever reading as PostgreSQL's end-of-data marker.
// - numbers               -> String(n) for finite numbers; NaN / Infinity / -Infinity as PostgreSQL spells them.
// - bigint                -> decimal digits.
// - boolean               -> `true` / `false`.
// - Date                  -> ISO 8601 in UTC (`2024-01-02T03:04:05.000Z`); a `timestamp without time zone` column
//                            keeps the UTC wall time. Generators should prefer plain strings (`2024-01-02 03:04:05`).
// - arrays                -> a PostgreSQL array literal (`{"a","b,c",NULL}`), then CSV-quoted like any string.
// - other objects         -> JSON (for jsonb columns). A top-level JS array always means a PostgreSQL array: to
//                            put a JSON array into a jsonb column, pass JSON.stringify(array) (a string).
// Strings may hold any Unicode except NUL, which PostgreSQL text cannot store: csvField throws on it.

const NEEDS_QUOTES = /[",\r\n\\]|^\s|\s$/;

/** One CSV field (no delimiter, no newline). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return csvString(value);
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateText(value);
  if (Array.isArray(value)) return csvString(pgArrayLiteral(value));
  if (typeof value === 'object') return csvString(JSON.stringify(value));
  throw new TypeError(`cannot encode a ${typeof value} as a CSV field`);
}

/** One CSV row, newline-terminated. */
export function csvRow(values: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ',';
    line += csvField(values[i]);
  }
  return line + '\n';
}

function csvString(s: string): string {
  if (s.includes('\0')) throw new TypeError('PostgreSQL text cannot contain a NUL character (\\0)');
  if (s === '') return '""';
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}

function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new TypeError('cannot encode an invalid Date');
  return d.toISOString();
}

/**
 * A PostgreSQL array literal: `{1,2}`, `{"a","b \"c\""}`, `{{1,2},{3,4}}`. Strings are always quoted (so `NULL`,
 * empty strings and strings with braces, commas or spaces stay strings); null elements become NULL.
 */
export function pgArrayLiteral(values: readonly unknown[]): string {
  const parts = values.map((v): string => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return pgArrayLiteral(v);
    if (typeof v === 'number') return numberText(v);
    if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
    const s = v instanceof Date ? dateText(v) : typeof v === 'string' ? v : JSON.stringify(v);
    if (s.includes('\0')) throw new TypeError('PostgreSQL text cannot contain a NUL character (\\0)');
    return `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  });
  return `{${parts.join(',')}}`;
}

/** Requires every chunk to end on a row boundary; both targets check it so misuse fails the same way. */
export function assertWholeRows(chunk: string | Uint8Array, table: string): void {
  const last = typeof chunk === 'string' ? chunk.charCodeAt(chunk.length - 1) : chunk[chunk.length - 1];
  if (chunk.length > 0 && last !== 10) {
    throw new Error(`copyFrom(${table}): each chunk must end with a newline (whole CSV rows only)`);
  }
}
