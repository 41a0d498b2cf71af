// Query results as a plain-text table, psql style: one header line, a rule, aligned columns, a row count.
// NULL prints as an empty cell, arrays as PostgreSQL array literals, objects as JSON, Dates in ISO 8601.
import { pgArrayLiteral } from './csv.js';
import type { QueryResult } from './target.js';

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return pgArrayLiteral(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Width of a string on a terminal, counting each code point once (good enough for tables of data). */
function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
}

export function renderTable(result: QueryResult): string {
  if (result.fields.length === 0) {
    return result.rowCount === null
      ? 'OK\n'
      : `OK, ${result.rowCount} row${result.rowCount === 1 ? '' : 's'}\n`;
  }
  // Newlines and tabs inside values would break the grid: show them escaped.
  const cells = result.rows.map((row) =>
    result.fields.map((f) => cellText(row[f]).replaceAll('\n', '\\n').replaceAll('\t', '\\t')),
  );
  const numeric = result.fields.map(
    (f) => result.rows.length > 0 && result.rows.every((r) => typeof r[f] === 'number' || r[f] === null),
  );
  const widths = result.fields.map((f, i) => Math.max(width(f), ...cells.map((c) => width(c[i] ?? ''))));
  const line = (values: string[], align: boolean[]): string =>
    values
      .map((v, i) => pad(v, widths[i] ?? 0, align[i] ?? false))
      .join(' | ')
      .trimEnd();
  const out = [
    line(
      result.fields,
      result.fields.map(() => false),
    ),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...cells.map((c) => line(c, numeric)),
    `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`,
  ];
  return out.join('\n') + '\n';
}
