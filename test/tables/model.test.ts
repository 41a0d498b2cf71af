// The table model (src/tables) and everything derived from it agree, for every table the model declares: the
// TypeORM entities (src/db/entities.ts), the schema model and DDL (src/db/ddl.ts), and the three encoders (binary
// COPY, CSV, Parquet) on a batch that holds every type, NULLs, hostile text and lists. Tables are never listed
// by hand: every loop runs over the model's own declarations, so a new table or column is covered the day it is
// declared.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { expect } from 'chai';
import type { EntitySchema } from 'typeorm';
import { binaryToCsvLines, type BinaryType } from '../../src/db/copy-format.js';
import {
  loadSchemaModel,
  renderCreateTables,
  renderKeysAndIndexes,
  type TableModel,
} from '../../src/db/ddl.js';
import * as entities from '../../src/db/entities.js';
import { PgTarget } from '../../src/db/pg-target.js';
import { ParquetTableFile } from '../../src/files/parquet-file.js';
import { TableBatch, type BatchData } from '../../src/tables/batch.js';
import { renderDictionary } from '../../src/tables/dictionary.js';
import { encodeCopyBinary } from '../../src/tables/encode-copy.js';
import { csvHeader, encodeCsv } from '../../src/tables/encode-csv.js';
import {
  fkName,
  indexName,
  pkName,
  sqlType,
  uniqueName,
  type ColumnDef,
  type LogicalType,
  type TableDef,
} from '../../src/tables/model.js';
import { ALL_TABLE_DEFS, DATA_TABLE_DEFS } from '../../src/tables/tables.js';
import { describePostgres } from '../helpers/describe-postgres.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testdb.js';

const MS_PER_DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------------------------
// Values: what goes into the batch, per logical type, and the one normal form every read-back is compared in.

type Cell = number | string | readonly string[] | null;
/** The normal form: numbers (float32 as Math.fround), dates `YYYY-MM-DD`, timestamps `YYYY-MM-DDTHH:MM:SS`. */
type Norm = number | string | string[] | null;

/** Text that breaks naive CSV, array-literal, JSON or SQL-literal handling. */
const HOSTILE = [
  'plain',
  '',
  'say "hi", then leave',
  'line one\nline two\r\nline three\rend',
  'back\\slash \\N \\. \\\\',
  '\\.',
  'emoji 🚀 Zoë — 東京 👩‍⚕️',
  '{braces},{"x"}',
  '[1, 2]',
  ' leading space',
  'trailing space ',
  'NULL',
  "it's O'Brien",
  '"',
  ',',
  'tab\there',
  'semi;colon|pipe',
];

const LISTS: readonly (readonly string[])[] = [
  [],
  ['one'],
  ['a,b', 'say "hi"', '{x}', 'back\\slash', 'NULL', '', ' spaced ', '🚀', 'new\nline', "it's"],
  ['}', '{', '\\', '"', ','],
];

const NUMBERS: Record<'int16' | 'int32' | 'int64' | 'float32', readonly number[]> = {
  int16: [0, 1, -1, 10, 32767, -32768],
  int32: [0, 7, -5, 2_000_000_001, 2147483647, -2147483648],
  int64: [0, -1, 20_000_000_010_001, 9_007_199_254_740_991, -(2 ** 40), 2 ** 32],
  float32: [0, 0.1765, -3.75, 70.9, 92.1, 100, 1e-7, 12345.67, 0.5, 2.25],
};

/** Days since 1970-01-01: before 1970, before 2000, the epoch days, leap days, the window. Day -1 (1969-12-31)
 * has a test of its own below (the CSV writer's day cache mistakes it for an empty slot). */
const DAYS = [0, -2, 10_957, 10_956, 11_016, 20_453, 20_362, -25_567, 19_782];

/** Epoch milliseconds, whole seconds (the model's contract), before and after both epochs. */
const TIMESTAMPS = [
  Date.UTC(2025, 11, 31, 23, 59, 59),
  Date.UTC(2025, 9, 1, 0, 0, 0),
  Date.UTC(1999, 11, 31, 23, 59, 59),
  Date.UTC(2000, 0, 1),
  Date.UTC(1969, 11, 30, 23, 59, 59),
  Date.UTC(2024, 1, 29, 12, 30, 1),
  0,
];

/** A value of exactly `n` code points (a char(n) column), made of hostile characters where n allows. */
function charValue(n: number, k: number): string {
  const pool = ['"', ',', '\\', '🚀', '{', '}', "'", 'Z', 'ë', '\n', '9', 'x'];
  let s = '';
  for (let i = 0; i < n; i++) s += pool[(k + i * 5) % pool.length];
  // char(n) drops trailing spaces when compared; none are generated, but keep the last one visible anyway.
  return s;
}

/** The value of column `c` (position `col`) in row `row`: every nullable column is NULL in every 5th row. */
function sample(c: ColumnDef, col: number, row: number): Cell {
  if (c.nullable && (row + col) % 5 === 0) return null;
  const k = row * 7 + col;
  switch (c.type) {
    case 'int16':
    case 'int32':
    case 'int64':
    case 'float32': {
      const list = NUMBERS[c.type];
      return list[k % list.length]!;
    }
    case 'date':
      return DAYS[k % DAYS.length]!;
    case 'timestamp':
      return TIMESTAMPS[k % TIMESTAMPS.length]!;
    case 'char':
      return charValue(c.length ?? 1, k);
    case 'text':
      return HOSTILE[k % HOSTILE.length]!;
    case 'text_list':
      return LISTS[k % LISTS.length]!;
    default:
      throw new Error(`${c.name}: ${c.type} is not written through batches`);
  }
}

const isoDay = (days: number): string => new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
const isoSecond = (ms: number): string => new Date(ms).toISOString().slice(0, 19);

/** The expected read-back of a cell that went in as `v`. */
function norm(c: ColumnDef, v: Cell): Norm {
  if (v === null) return null;
  switch (c.type) {
    case 'float32':
      return Math.fround(v as number);
    case 'date':
      return isoDay(v as number);
    case 'timestamp':
      return isoSecond(v as number);
    case 'text_list':
      return [...(v as readonly string[])];
    default:
      return v as number | string;
  }
}

/** A batch of `rows` rows of `def` holding sample() values (dictionary columns fill their dictionary as they go). */
function fill(def: TableDef, rows: number, offset = 0): { batch: BatchData; expected: Norm[][] } {
  const b = new TableBatch(def, 8); // small, so the batch grows while it is filled
  const expected: Norm[][] = [];
  for (let i = 0; i < rows; i++) {
    const r = b.row();
    const out: Norm[] = [];
    def.columns.forEach((c, col) => {
      const v = sample(c, col, offset + i);
      if (v === null) b.setNull(col, r);
      else if (c.type === 'text_list') b.setList(col, r, v as readonly string[]);
      else if (c.type === 'text' || c.type === 'char') b.setText(col, r, v as string);
      else b.setNum(col, r, v as number);
      out.push(norm(c, v));
    });
    expected.push(out);
  }
  return { batch: b.data(), expected };
}

/**
 * A table that is not in the model, declaring every batch type nullable and not, dictionary and not: the
 * encoders must handle combinations the seven tables happen not to use.
 */
const EVERY_TYPE: TableDef = {
  name: 'every_type',
  entity: 'EveryTypeEntity',
  description: 'every logical type an encoder writes',
  columns: (
    [
      ['i16', 'int16'],
      ['i32', 'int32'],
      ['i64', 'int64'],
      ['f32', 'float32'],
      ['txt', 'text'],
      ['dtxt', 'text', { dictionary: true }],
      ['ch', 'char', { length: 3 }],
      ['dch', 'char', { length: 2, dictionary: true }],
      ['d', 'date'],
      ['ts', 'timestamp'],
      ['l', 'text_list'],
    ] as [string, LogicalType, Partial<ColumnDef>?][]
  ).flatMap(([name, type, extra]) => [
    { name, type, description: name, ...extra },
    { name: `${name}_n`, type, nullable: true, description: `${name}, nullable`, ...extra },
  ]),
  primaryKey: [],
};

const ENCODED_DEFS: readonly TableDef[] = [...DATA_TABLE_DEFS, EVERY_TYPE];

// ---------------------------------------------------------------------------------------------------------------
// Readers: CSV (PostgreSQL CSV and array literals) parsed independently of src/db/csv.ts.

/** Records of a CSV text; each field with whether it was quoted (an unquoted empty field is NULL). */
function parseCsv(text: string): { value: string; quoted: boolean }[][] {
  const records: { value: string; quoted: boolean }[][] = [];
  let record: { value: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    let value = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted CSV field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\n') value += text[i++];
    }
    record.push({ value, quoted });
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] !== '\n') throw new Error(`CSV field not followed by a comma or newline at ${i}`);
    i++;
    records.push(record);
    record = [];
  }
  if (record.length > 0) throw new Error('CSV text does not end with a newline');
  return records;
}

/** A one-dimensional PostgreSQL array literal of quoted or bare elements. */
function parseArrayLiteral(s: string): string[] {
  if (s[0] !== '{' || s[s.length - 1] !== '}') throw new Error(`not an array literal: ${s}`);
  const out: string[] = [];
  let i = 1;
  if (s === '{}') return out;
  while (i < s.length - 1) {
    let v = '';
    if (s[i] === '"') {
      i++;
      while (s[i] !== '"') {
        if (s[i] === '\\') i++;
        v += s[i++];
      }
      i++;
    } else {
      while (s[i] !== ',' && s[i] !== '}') v += s[i++];
      if (v === 'NULL') throw new Error('NULL element in a text list');
    }
    out.push(v);
    if (s[i] === ',') i++;
  }
  return out;
}

function fromCsvField(c: ColumnDef, f: { value: string; quoted: boolean }): Norm {
  if (!f.quoted && f.value === '') return null;
  switch (c.type) {
    case 'int16':
    case 'int32':
    case 'int64':
      return Number(f.value);
    case 'float32':
      return Math.fround(Number(f.value));
    case 'timestamp':
      return f.value.replace(' ', 'T');
    case 'text_list':
      return parseArrayLiteral(f.value);
    default:
      return f.value;
  }
}

const BINARY_TYPE: Partial<Record<LogicalType, BinaryType>> = {
  int16: 'int2',
  int32: 'int4',
  int64: 'int8',
  float32: 'float4',
  text: 'text',
  char: 'text',
  date: 'date',
  timestamp: 'timestamp',
  text_list: 'text[]',
};

function binaryTypes(def: TableDef): BinaryType[] {
  return def.columns.map((c) => {
    const t = BINARY_TYPE[c.type];
    if (!t) throw new Error(`${def.name}.${c.name}: no binary type for ${c.type}`);
    return t;
  });
}

const sortRows = (rows: Norm[][]): Norm[][] =>
  [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

// ---------------------------------------------------------------------------------------------------------------
// Expected derived forms, from the model's declaration only.

/** TypeORM's EntitySchema column type for each logical type. */
const ENTITY_TYPE: Record<LogicalType, string> = {
  int16: 'smallint',
  int32: 'integer',
  int64: 'bigint',
  float32: 'real',
  text: 'text',
  char: 'char',
  date: 'date',
  timestamp: 'timestamp without time zone',
  text_list: 'text',
  timestamptz: 'timestamp with time zone',
  jsonb: 'jsonb',
};

/** The schema model's rendering of a type, in PostgreSQL's canonical spelling (format_type). */
function canonicalSqlType(s: string): string {
  const lower = s.toLowerCase().trim();
  if (lower === 'timestamp') return 'timestamp without time zone';
  return lower.replace(/^(\w+) array$/, '$1[]');
}

/** The model's type, canonical: sqlType() says `serial`, which PostgreSQL reports as integer with a default. */
const modelSqlType = (c: ColumnDef): string => canonicalSqlType(sqlType(c));

/** The column names of a `CREATE TABLE` statement, in order. */
function ddlColumns(sql: string): string[] {
  const body = sql.slice(sql.indexOf('(') + 1, sql.lastIndexOf(')'));
  return [...body.matchAll(/(?:^|, )"((?:[^"]|"")+)" /g)].map((m) => m[1]!.replaceAll('""', '"'));
}

/** DuckDB's DESCRIBE type of each logical type as Parquet stores it. */
const DUCK_TYPE: Partial<Record<LogicalType, string>> = {
  int16: 'SMALLINT',
  int32: 'INTEGER',
  int64: 'BIGINT',
  float32: 'FLOAT',
  text: 'VARCHAR',
  char: 'VARCHAR',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  text_list: 'VARCHAR[]',
};

// ---------------------------------------------------------------------------------------------------------------

describe('the table model and everything derived from it', function () {
  let schema: TableModel[];
  before(async function () {
    schema = await loadSchemaModel();
  });

  it('declares the seven data tables plus the run log, each once, with unique column names', function () {
    expect(DATA_TABLE_DEFS.length).to.equal(7);
    expect(ALL_TABLE_DEFS.slice(0, DATA_TABLE_DEFS.length)).to.deep.equal([...DATA_TABLE_DEFS]);
    const names = ALL_TABLE_DEFS.map((t) => t.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const t of ALL_TABLE_DEFS as readonly TableDef[]) {
      const cols = t.columns.map((c) => c.name);
      expect(new Set(cols).size, t.name).to.equal(cols.length);
      // Every key, unique, foreign key and index names declared columns; FKs point at declared tables' keys.
      const refs = [
        ...t.primaryKey,
        ...(t.uniques ?? []).flat(),
        ...(t.indexes ?? []).flat(),
        ...(t.foreignKeys ?? []).map((f) => f.column),
      ];
      for (const r of refs) expect(cols, `${t.name} refers to ${r}`).to.include(r);
      for (const fk of t.foreignKeys ?? []) {
        const parent = ALL_TABLE_DEFS.find((p) => p.name === fk.references) as TableDef | undefined;
        expect(parent, `${t.name}.${fk.column} -> ${fk.references}`).to.not.equal(undefined);
        expect(parent!.primaryKey).to.deep.equal([fk.referencedColumn ?? 'id']);
        expect(
          ALL_TABLE_DEFS.findIndex((p) => p.name === fk.references),
          `${fk.references} is declared before ${t.name}`,
        ).to.be.lessThan(ALL_TABLE_DEFS.findIndex((p) => p.name === t.name));
      }
    }
  });

  describe('TypeORM entities (src/db/entities.ts)', function () {
    it('has one entity per table, in model order, exported under the declared name', function () {
      expect(entities.ALL_ENTITIES.map((e) => e.options.name)).to.deep.equal(
        ALL_TABLE_DEFS.map((t) => t.name),
      );
      expect(entities.DATA_TABLES).to.deep.equal(DATA_TABLE_DEFS.map((t) => t.name));
      for (const t of ALL_TABLE_DEFS) {
        const e = (entities as unknown as Record<string, EntitySchema | undefined>)[t.entity];
        expect(e, `export ${t.entity}`).to.be.instanceOf(Object);
        expect(e!.options.name).to.equal(t.name);
      }
    });

    for (const t of ALL_TABLE_DEFS as readonly TableDef[]) {
      it(`${t.name}: entity columns, types, nullability, keys, uniques and indexes are the model's`, function () {
        const e = (entities as unknown as Record<string, EntitySchema>)[t.entity]!;
        const cols = e.options.columns as unknown as Record<string, Record<string, unknown>>;
        expect(Object.keys(cols), 'column order').to.deep.equal(t.columns.map((c) => c.name));
        for (const c of t.columns) {
          const o = cols[c.name]!;
          const what = `${t.name}.${c.name}`;
          expect(o.type, what).to.equal(ENTITY_TYPE[c.type]);
          expect(Boolean(o.nullable), `${what} nullable`).to.equal(Boolean(c.nullable));
          expect(Boolean(o.array), `${what} array`).to.equal(c.type === 'text_list');
          expect(Boolean(o.primary), `${what} primary`).to.equal(t.primaryKey.includes(c.name));
          if (o.primary) expect(o.primaryKeyConstraintName).to.equal(pkName(t.name));
          if (c.type === 'char') expect(o.length, `${what} length`).to.equal(c.length ?? 1);
          expect(o.generated, `${what} generated`).to.equal(c.generated ? 'increment' : undefined);
          const def = o.default as (() => string) | undefined;
          expect(def === undefined ? undefined : def(), `${what} default`).to.equal(c.default);
          const fk = (t.foreignKeys ?? []).find((f) => f.column === c.name);
          const ofk = o.foreignKey as { target: unknown; name: string } | undefined;
          if (fk) {
            expect(ofk, `${what} foreign key`).to.deep.include({
              target: fk.references,
              name: fkName(t.name, c.name),
            });
          } else {
            expect(ofk, `${what} foreign key`).to.equal(undefined);
          }
        }
        const uniques = (e.options.uniques ?? []).map((u) => ({ name: u.name, columns: u.columns }));
        expect(uniques, 'uniques').to.deep.equal(
          (t.uniques ?? []).map((u) => ({ name: uniqueName(t.name, u), columns: [...u] })),
        );
        const indices = (e.options.indices ?? []).map((i) => ({ name: i.name, columns: i.columns }));
        expect(indices, 'indices').to.deep.equal(
          (t.indexes ?? []).map((i) => ({ name: indexName(t.name, i), columns: [...i] })),
        );
      });
    }
  });

  describe('schema model and DDL (src/db/ddl.ts)', function () {
    it('holds exactly the model tables, parents first', function () {
      expect(schema.map((m) => m.name)).to.deep.equal(ALL_TABLE_DEFS.map((t) => t.name));
    });

    for (const t of ALL_TABLE_DEFS as readonly TableDef[]) {
      it(`${t.name}: columns, types, nullability, defaults, key, uniques, foreign keys and indexes are the model's`, function () {
        const m = schema.find((s) => s.name === t.name)!;
        expect(
          m.columns.map((c) => ({
            name: c.name,
            type: canonicalSqlType(c.sqlType),
            nullable: c.nullable,
            default: c.defaultSql,
          })),
        ).to.deep.equal(
          t.columns.map((c) => ({
            name: c.name,
            type: modelSqlType(c),
            nullable: Boolean(c.nullable),
            default: c.default,
          })),
        );
        expect(m.primaryKey).to.deep.equal({ name: pkName(t.name), columns: [...t.primaryKey] });
        expect(m.uniques).to.deep.equal(
          (t.uniques ?? []).map((u) => ({ name: uniqueName(t.name, u), columns: [...u] })),
        );
        expect(m.foreignKeys.map((f) => ({ ...f }))).to.deep.equal(
          (t.foreignKeys ?? []).map((f) => ({
            name: fkName(t.name, f.column),
            columns: [f.column],
            referencedTable: f.references,
            referencedColumns: [f.referencedColumn ?? 'id'],
            onDelete: 'NO ACTION',
            onUpdate: 'NO ACTION',
          })),
        );
        expect(m.indices).to.deep.equal(
          (t.indexes ?? []).map((i) => ({ name: indexName(t.name, i), columns: [...i], unique: false })),
        );
      });

      it(`${t.name}: CREATE TABLE lists the model's columns in the model's order; keys come after`, function () {
        const [create] = renderCreateTables(schema, 'some schema', [t.name]);
        expect(create).to.match(new RegExp(`^CREATE TABLE "some schema"\\."${t.name}" \\(`));
        expect(ddlColumns(create!)).to.deep.equal(t.columns.map((c) => c.name));
        const keys = renderKeysAndIndexes(schema, undefined, [t.name]).join('\n');
        expect(keys).to.include(
          `ADD CONSTRAINT "${pkName(t.name)}" PRIMARY KEY (${t.primaryKey.map((k) => `"${k}"`).join(', ')})`,
        );
        for (const f of t.foreignKeys ?? [])
          expect(keys).to.include(`"${fkName(t.name, f.column)}" FOREIGN KEY ("${f.column}")`);
        for (const i of t.indexes ?? []) expect(keys).to.include(`INDEX "${indexName(t.name, i)}"`);
        for (const u of t.uniques ?? []) expect(keys).to.include(`"${uniqueName(t.name, u)}" UNIQUE`);
      });
    }
  });

  it('the data dictionary has a section per data table listing every column with its types', function () {
    const md = renderDictionary();
    const sections = md.split(/^## /m).slice(1);
    expect(sections.map((s) => s.split('\n')[0])).to.deep.equal(DATA_TABLE_DEFS.map((t) => t.name));
    for (const t of DATA_TABLE_DEFS as readonly TableDef[]) {
      const section = sections.find((s) => s.startsWith(`${t.name}\n`))!;
      const rows = section.split('\n').filter((l) => /^\| (?!column |---)/.test(l));
      expect(
        rows.map((r) => r.split(' | ')[0]!.slice(2)),
        t.name,
      ).to.deep.equal(t.columns.map((c) => c.name));
      t.columns.forEach((c, i) => {
        expect(rows[i], `${t.name}.${c.name}`).to.include(` ${sqlType(c)} `);
        expect(rows[i]).to.include(c.nullable ? ' | yes | ' : ' | no | ');
      });
    }
  });

  describe('encoders on a batch of every type, NULLs, hostile text and lists', function () {
    for (const def of ENCODED_DEFS) {
      it(`${def.name}: binary COPY tuples decode to exactly the CSV encoder's lines, which parse back to the values`, function () {
        const { batch, expected } = fill(def, 97);
        const csv = new TextDecoder().decode(encodeCsv(def, batch));
        const binary = binaryToCsvLines(encodeCopyBinary(def, batch), binaryTypes(def));
        expect(binary).to.have.length(97);
        expect(binary.map((l) => `${l}\n`).join('')).to.equal(csv);
        const parsed = parseCsv(csv).map((rec) => {
          expect(rec).to.have.length(def.columns.length);
          return rec.map((f, i) => fromCsvField(def.columns[i]!, f));
        });
        expect(parsed).to.deep.equal(expected);
        // The header names every column in model order.
        expect(new TextDecoder().decode(csvHeader(def))).to.equal(
          `${def.columns.map((c) => c.name).join(',')}\n`,
        );
      });
    }

    it('1969-12-31 (day -1) is written as that date by both encoders, as a date and inside a timestamp', function () {
      const def: TableDef = {
        name: 'day_minus_one',
        entity: 'DayMinusOne',
        description: 'the day before the Unix epoch',
        columns: [
          { name: 'd', type: 'date', description: 'a date' },
          { name: 'ts', type: 'timestamp', description: 'a timestamp' },
        ],
        primaryKey: [],
      };
      const b = new TableBatch(def);
      const r = b.row();
      b.setNum(0, r, -1);
      b.setNum(1, r, Date.UTC(1969, 11, 31, 23, 59, 59));
      const binary = binaryToCsvLines(encodeCopyBinary(def, b.data()), ['date', 'timestamp']);
      expect(binary).to.deep.equal(['1969-12-31,1969-12-31 23:59:59']);
      // The CSV writer caches formatted days in slots marked empty with -1: day -1 must not read an empty slot.
      expect(new TextDecoder().decode(encodeCsv(def, b.data()))).to.equal('1969-12-31,1969-12-31 23:59:59\n');
    });

    it('the batch holds what the test meant: every nullable column has NULLs, lists include empty and NULL', function () {
      for (const def of ENCODED_DEFS) {
        const { expected } = fill(def, 97);
        def.columns.forEach((c, i) => {
          const values = expected.map((r) => r[i]);
          expect(values.includes(null), `${def.name}.${c.name} NULL`).to.equal(Boolean(c.nullable));
          if (c.type === 'text_list')
            expect(values.some((v) => Array.isArray(v) && v.length === 0)).to.equal(true);
          if (c.type === 'text' && !c.dictionary) expect(values).to.include('');
        });
      }
    });
  });

  describe('Parquet (ParquetTableFile, DuckDB) read back with read_parquet', function () {
    let tmp: string;
    let instance: DuckDBInstance;
    let con: DuckDBConnection;
    before(async function () {
      tmp = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-model-parquet-'));
      instance = await DuckDBInstance.create(':memory:', { preserve_insertion_order: 'true', threads: '2' });
      con = await instance.connect();
    });
    after(function () {
      con?.closeSync();
      instance?.closeSync();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    for (const def of ENCODED_DEFS) {
      it(`${def.name}: same values in the same order, over several batches and vectors, with the model's types`, async function () {
        const file = path.join(tmp, `${def.name}.parquet`);
        const f = await ParquetTableFile.open(con, def, file, def.name);
        // Three batches with different dictionaries and a row count that spans DuckDB's 2048-row vectors.
        const parts = [fill(def, 2500, 0), fill(def, 1, 2500), fill(def, 2100, 2501)];
        for (const p of parts) f.append(p.batch);
        await f.close();
        const expected = parts.flatMap((p) => p.expected);

        const described = await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
        expect(
          described.getRowObjectsJS().map((r) => ({ name: r.column_name, type: r.column_type })),
        ).to.deep.equal(def.columns.map((c) => ({ name: c.name, type: DUCK_TYPE[c.type] })));

        const select = def.columns
          .map((c) => {
            const x = `"${c.name}"`;
            if (c.type === 'date') return `CAST(${x} AS VARCHAR)`;
            if (c.type === 'timestamp') return `strftime(${x}, '%Y-%m-%dT%H:%M:%S')`;
            return x;
          })
          .join(', ');
        const read = await con.runAndReadAll(`SELECT ${select} FROM read_parquet('${file}')`);
        const rows = read.getRowsJS().map((r) =>
          r.map((v, i): Norm => {
            if (v === null) return null;
            if (typeof v === 'bigint') return Number(v);
            if (def.columns[i]!.type === 'float32') return Math.fround(v as number);
            if (Array.isArray(v)) return v as string[];
            return v as number | string;
          }),
        );
        expect(rows).to.have.length(expected.length);
        for (let r = 0; r < rows.length; r++)
          expect(rows[r], `${def.name} row ${r}`).to.deep.equal(expected[r]);
      });
    }

    it('text no UTF-8 can hold (a lone surrogate, e.g. from a JSON fixture) comes out as CSV and COPY write it', async function () {
      // CSV and binary COPY encode text with TextEncoder, which writes U+FFFD for a lone surrogate; the Parquet
      // file must hold the same string, for a plain text column as for a dictionary one.
      const def: TableDef = {
        name: 'surrogates',
        entity: 'Surrogates',
        description: 'text with lone surrogates',
        columns: [
          { name: 'plain', type: 'text', description: 'non-dictionary text' },
          { name: 'dict', type: 'text', dictionary: true, description: 'dictionary text' },
        ],
        primaryKey: [],
      };
      const b = new TableBatch(def);
      const r = b.row();
      b.setText(0, r, 'Zo\ud800e');
      b.setText(1, r, 'Zo\udc00e');
      expect(new TextDecoder().decode(encodeCsv(def, b.data()))).to.equal('Zo\ufffde,Zo\ufffde\n');
      const file = path.join(tmp, 'surrogates.parquet');
      const f = await ParquetTableFile.open(con, def, file, 'surrogates');
      f.append(b.data());
      await f.close();
      const read = await con.runAndReadAll(`SELECT plain, dict FROM read_parquet('${file}')`);
      expect(read.getRowsJS()).to.deep.equal([['Zo\ufffde', 'Zo\ufffde']]);
    });
  });

  describePostgres(
    'PostgreSQL round trip: binary COPY and CSV COPY into tables built from the DDL',
    function () {
      let db: TestDatabase;
      let target: PgTarget;
      before(async function () {
        db = await createTestDatabase();
        target = await PgTarget.connect(db.url);
        for (const s of ['bin', 'csv']) {
          await target.query(`CREATE SCHEMA ${s}`);
          for (const sql of renderCreateTables(
            schema,
            s,
            DATA_TABLE_DEFS.map((t) => t.name),
          ))
            await target.query(sql);
          const cols = EVERY_TYPE.columns.map(
            (c) => `"${c.name}" ${sqlType(c)}${c.nullable ? '' : ' NOT NULL'}`,
          );
          await target.query(`CREATE TABLE ${s}.${EVERY_TYPE.name} (${cols.join(', ')})`);
        }
      });
      after(async function () {
        await target?.close();
        await db?.drop();
      });

      it('the tables PostgreSQL created have the model columns, types and nullability, in order', async function () {
        for (const t of DATA_TABLE_DEFS as readonly TableDef[]) {
          const { rows } = await target.query<{ name: string; type: string; notnull: boolean }>(
            `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull
             FROM pg_attribute a WHERE a.attrelid = 'bin.${t.name}'::regclass AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum`,
          );
          expect(rows, t.name).to.deep.equal(
            t.columns.map((c) => ({ name: c.name, type: modelSqlType(c), notnull: !c.nullable })),
          );
        }
      });

      for (const def of ENCODED_DEFS) {
        it(`${def.name}: both encodings load, and read back equal to each other and to the values`, async function () {
          const { batch, expected } = fill(def, 97);
          const columns = def.columns.map((c) => c.name);
          await target.query('SET search_path TO bin');
          expect(await target.copyFrom(def.name, columns, [encodeCopyBinary(def, batch)], 'binary')).to.equal(
            97,
          );
          await target.query('SET search_path TO csv');
          expect(await target.copyFrom(def.name, columns, [encodeCsv(def, batch)], 'csv')).to.equal(97);
          await target.query('SET search_path TO public');
          const read = async (s: string): Promise<Norm[][]> => {
            const cols = def.columns.map((c) => `"${c.name}"`).join(', ');
            const { rows } = await target.query<{ j: string }>(
              `SELECT json_build_array(${cols})::text AS j FROM ${s}.${def.name}`,
            );
            return rows.map((r) =>
              (JSON.parse(r.j) as Norm[]).map((v, i) =>
                v !== null && def.columns[i]!.type === 'float32' ? Math.fround(v as number) : v,
              ),
            );
          };
          const bin = await read('bin');
          const csv = await read('csv');
          expect(sortRows(bin)).to.deep.equal(sortRows(csv));
          expect(sortRows(bin)).to.deep.equal(sortRows(expected));
        });
      }
    },
  );
});
