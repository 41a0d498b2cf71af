import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { Args, Flags } from '@oclif/core';
import { dbFlag } from '../cli/run-flags.js';
import { CsvRenderer, JsonRenderer, TableRenderer, type ResultRenderer } from '../db/render-table.js';
import { streamQuery, writerFor, type QuerySource } from '../db/query-stream.js';
import { openTarget } from '../db/open-target.js';
import { openFiles } from '../files/validate-files.js';
import { BaseCommand } from '../lib/base-command.js';
import { UserError } from '../lib/errors.js';
import { DuckDbError } from '../files/duckdb.js';
import { refuseFilesWithDb } from '../cli/validation-output.js';

/** Rows the table view shows unless --limit says otherwise. */
export const DEFAULT_TABLE_LIMIT = 1000;

export default class Sql extends BaseCommand {
  static override description =
    'Run one SQL statement against the database (the embedded one unless --db or DATABASE_URL) and print the rows. ' +
    'With --files DIR, against the file output in DIR instead: the seven tables are DuckDB views over its files, ' +
    'and the statement is DuckDB SQL. Rows are streamed (any result size runs in constant memory); the table view ' +
    'shows the first 1,000 rows unless --limit, --csv and --json every row. NULL prints as (null).';

  static override examples = [
    `<%= config.bin %> sql "select specialty, count(*) from hcp_profiles group by 1 order by 2 desc"`,
    `<%= config.bin %> sql "select * from hcpgen_runs order by id desc limit 1" --json`,
    `<%= config.bin %> sql --csv --out stimuli.csv "select * from stimuli"`,
    `<%= config.bin %> sql --files out/ "select channel, count(*) from stimuli group by 1"`,
  ];

  static override args = {
    query: Args.string({ description: 'The SQL statement to run.', required: true }),
  };

  static override flags = {
    db: dbFlag,
    files: Flags.string({
      description:
        'Query the file output in DIR (what `hcpgen generate --out DIR` wrote) instead of a database, in DuckDB SQL.',
      helpValue: 'DIR',
    }),
    csv: Flags.boolean({
      description:
        'Print the rows as CSV (RFC 4180, a header line; NULL is an empty field, an empty string "").',
      default: false,
      exclusive: ['json'],
    }),
    out: Flags.string({
      description: 'Write the result (table, CSV or JSON) to FILE instead of standard output.',
      helpValue: 'FILE',
    }),
    limit: Flags.integer({
      description: `At most N rows (0 = all). Default: ${DEFAULT_TABLE_LIMIT} for the table view, all with --csv and --json.`,
      min: 0,
      helpValue: 'N',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Sql);
    refuseFilesWithDb(this.argv, flags.files);
    const json = this.jsonEnabled();
    const limit = flags.limit ?? (flags.csv || json ? 0 : DEFAULT_TABLE_LIMIT);
    // File output: the manifests are checked (sizes, not checksums: a query should not read every byte twice).
    const files = flags.files ? await openFiles(flags.files, { checksums: false }) : undefined;
    const source: QuerySource = files ? files.db : await openTarget(flags.db ? { db: flags.db } : {});
    const description = source.description;
    let out: Writable = process.stdout;
    try {
      if (flags.out) out = await openOut(flags.out);
      const write = writerFor(out);
      const renderer: ResultRenderer = flags.csv
        ? new CsvRenderer(write)
        : json
          ? new JsonRenderer(write)
          : new TableRenderer(write, limit);
      try {
        await streamQuery(source, args.query, renderer, { limit, copyOut: out });
      } catch (err) {
        if (err instanceof UserError) throw err;
        // A DuckDB error's code is only its class, for validation: not a SQLSTATE to print.
        const e = err as { message?: string; code?: string; position?: string };
        const code = err instanceof DuckDbError ? undefined : e.code;
        const where = e.position ? ` at character ${e.position}` : '';
        throw new UserError(
          `The query failed on ${description}${where}: ${e.message ?? String(err)}` +
            `${code ? ` (SQLSTATE ${code})` : ''}. Fix the SQL and run again.`,
          { cause: err },
        );
      }
    } finally {
      if (out !== process.stdout) {
        out.end();
        await finished(out).catch(() => undefined);
      }
      await (files ? files.close() : (source as { close(): Promise<void> }).close());
    }
  }
}

async function openOut(file: string): Promise<Writable> {
  const stream = createWriteStream(file);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err) =>
      reject(
        new UserError(`Cannot write the result to "${file}": ${err.message}.`, {
          hint: 'Check that the directory exists and is writable.',
          cause: err,
        }),
      ),
    );
  });
  return stream;
}
