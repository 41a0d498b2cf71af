import { Args } from '@oclif/core';
import { dbFlag } from '../cli/run-flags.js';
import { renderTable } from '../db/render-table.js';
import { openTarget, type QueryResult } from '../db/target.js';
import { BaseCommand } from '../lib/base-command.js';
import { UserError } from '../lib/errors.js';

export default class Sql extends BaseCommand {
  static override description =
    'Run one SQL statement against the database (the embedded one unless --db or DATABASE_URL) and print the rows.';

  static override examples = [
    `<%= config.bin %> sql "select specialty, count(*) from hcp_profiles group by 1 order by 2 desc"`,
    `<%= config.bin %> sql "select * from hcpgen_runs order by id desc limit 1" --json`,
  ];

  static override args = {
    query: Args.string({ description: 'The SQL statement to run.', required: true }),
  };

  static override flags = { db: dbFlag };

  async run(): Promise<QueryResult> {
    const { args, flags } = await this.parse(Sql);
    const target = await openTarget(flags.db ? { db: flags.db } : {});
    let result: QueryResult;
    try {
      result = await target.query(args.query);
    } catch (err) {
      const e = err as { message?: string; code?: string; position?: string };
      const where = e.position ? ` at character ${e.position}` : '';
      throw new UserError(
        `The query failed on ${target.description}${where}: ${e.message ?? String(err)}` +
          `${e.code ? ` (SQLSTATE ${e.code})` : ''}. Fix the SQL and run again.`,
        { cause: err },
      );
    } finally {
      await target.close();
    }
    if (!this.jsonEnabled()) process.stdout.write(renderTable(result));
    return result;
  }
}
