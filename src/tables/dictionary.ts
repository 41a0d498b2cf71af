// The data dictionary of a file output (dictionary.md), rendered from the table model: every table with its
// meaning and key, every column with its PostgreSQL type, its Parquet type, nullability and meaning.
import type { ColumnDef, TableDef } from './model.js';
import { sqlType } from './model.js';
import { DATA_TABLE_DEFS } from './tables.js';

const PARQUET_TYPE: Record<ColumnDef['type'], string> = {
  int16: 'INT32 (INT(16))',
  int32: 'INT32',
  int64: 'INT64',
  float32: 'FLOAT',
  text: 'BYTE_ARRAY (STRING)',
  char: 'BYTE_ARRAY (STRING)',
  date: 'INT32 (DATE)',
  timestamp: 'INT64 (TIMESTAMP micros, not UTC-adjusted)',
  text_list: 'LIST<BYTE_ARRAY (STRING)>',
  timestamptz: 'INT64 (TIMESTAMP micros, UTC)',
  jsonb: 'BYTE_ARRAY (JSON)',
};

export function parquetType(c: ColumnDef): string {
  return PARQUET_TYPE[c.type];
}

const cell = (s: string): string => s.replaceAll('|', '\\|');

export function renderDictionary(): string {
  const out = [
    '# Data dictionary',
    '',
    'The seven tables of an hcpgen run. Names and columns are a contract: columns are added, never renamed.',
    'CSV files hold PostgreSQL CSV (a header line; NULL is an empty unquoted field, an empty string is `""`;',
    'timestamps `YYYY-MM-DD HH:MM:SS` of local wall time; lists as PostgreSQL array literals).',
    '',
  ];
  for (const t of DATA_TABLE_DEFS as readonly TableDef[]) {
    out.push(`## ${t.name}`, '', t.description, '', `Key: (${t.primaryKey.join(', ')}).`);
    const fks = (t.foreignKeys ?? []).map(
      (f) => `${f.column} -> ${f.references}.${f.referencedColumn ?? 'id'}`,
    );
    if (fks.length > 0) out.push(`References: ${fks.join('; ')}.`);
    out.push('', '| column | PostgreSQL | Parquet | null | meaning |', '|---|---|---|---|---|');
    for (const c of t.columns) {
      out.push(
        `| ${c.name} | ${sqlType(c)} | ${parquetType(c)} | ${c.nullable ? 'yes' : 'no'} | ${cell(c.description)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}
