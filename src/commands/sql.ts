import { Args, Flags } from '@oclif/core';
import { dbFlag } from '../cli/run-flags.js';
import { renderTable } from '../db/render-table.js';
import { openTarget, type QueryResult } from '../db/target.js';
import { openFiles } from '../files/validate-files.js';
import { BaseCommand } from '../lib/base-command.js';
import { UserError } from '../lib/errors.js';
import { DuckDbError } from '../files/duckdb.js';
import { refuseFilesWithDb } from './validate.js';

export default class Sql extends BaseCommand {
  static override description =
    'Run one SQL statement against the database (the embedded one unless --db or DATABASE_URL) and print the rows. ' +
    'With --files DIR, against the file output in DIR instead: the seven tables are DuckDB views over its files, ' +
    'and the statement is DuckDB SQL.';

  static override examples = [
    `<%= config.bin %> sql "select specialty, count(*) from hcp_profiles group by 1 order by 2 desc"`,
    `<%= config.bin %> sql "select * from hcpgen_runs order by id desc limit 1" --json`,
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
  };

  async run(): Promise<QueryResult> {
    const { args, flags } = await this.parse(Sql);
    refuseFilesWithDb(this.argv, flags.files);
    // File output: the manifests are checked (sizes, not checksums: a query should not read every byte twice).
    const target = flags.files
      ? await openFiles(flags.files, { checksums: false }).then((o) => ({
          description: o.db.description,
          query: (sql: string) => o.db.query(sql),
          close: o.close,
        }))
      : await openTarget(flags.db ? { db: flags.db } : {});
    let result: QueryResult;
    try {
      result = await target.query(args.query);
    } catch (err) {
      // A DuckDB error's code is only its class, for validation: not a SQLSTATE to print.
      const e = err as { message?: string; code?: string; position?: string };
      const code = err instanceof DuckDbError ? undefined : e.code;
      const where = e.position ? ` at character ${e.position}` : '';
      throw new UserError(
        `The query failed on ${target.description}${where}: ${e.message ?? String(err)}` +
          `${code ? ` (SQLSTATE ${code})` : ''}. Fix the SQL and run again.`,
        { cause: err },
      );
    } finally {
      await target.close();
    }
    if (!this.jsonEnabled()) process.stdout.write(renderTable(result));
    return result;
  }
}
