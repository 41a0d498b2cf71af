// The same damage, the same report: every corruption of test/validation/corruptions.ts is made inside a
// rolled-back transaction, validated there by PostgreSQL, exported as CSV file output from inside the same
// transaction and validated by DuckDB. Both engines must agree check by check (run.status and run.counts aside:
// file output has manifests, not hcpgen_runs). Damage a file output cannot hold at all (a dropped column, a NULL
// key) is refused before the checks instead, as bad input.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type pg from 'pg';
import { validateFiles } from '../../src/files/validate-files.js';
import { UserError } from '../../src/lib/errors.js';
import { runValidation } from '../../src/validation/run.js';
import type { Queryable, ValidationReport } from '../../src/validation/types.js';
import { describePostgres } from '../helpers/describe-postgres.js';
import { CORRUPTIONS } from '../validation/corruptions.js';
import { freshGeneratedDatabase, type FreshDatabase } from '../validation/fresh-data.js';
import { comparable, connect, exportCsv } from './file-output.js';

describePostgres('validate --files: the same damage gives the same report', function () {
  this.timeout(120_000);
  let fresh: FreshDatabase;
  let client: pg.Client & Queryable;
  let tmp: string;
  let n = 0;
  before(async function () {
    fresh = await freshGeneratedDatabase('postgres');
    client = await connect(fresh.where);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-files-damage-'));
  });
  after(async function () {
    await client?.end();
    await fresh?.cleanup();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  for (const c of CORRUPTIONS) {
    it(`${c.check}: ${c.what}`, async function () {
      const dir = path.join(tmp, `case-${++n}`);
      let reference: ValidationReport;
      await client.query('BEGIN');
      try {
        await client.query('SET LOCAL session_replication_role = replica');
        await c.corrupt(client);
        reference = await runValidation(client);
        await exportCsv(client, dir, { shards: 2 });
      } finally {
        await client.query('ROLLBACK');
      }
      let report: ValidationReport;
      try {
        report = await validateFiles(dir);
      } catch (err) {
        // Only damage PostgreSQL also reports, and only as bad input.
        expect(err, String(err)).to.be.instanceOf(UserError);
        expect(reference.failed).to.be.greaterThan(0);
        return;
      }
      if (c.check === 'run.status') return; // hcpgen_runs only: file output has none.
      // The manifests count what their files hold (validateFiles proves it), while hcpgen_runs keeps the counts
      // of the generation: rows deleted afterwards fail run.counts on the database only. A run check's detail
      // names its record: `run #1's columns` or `the manifests of run <key>`.
      const without = (r: ValidationReport) =>
        comparable(r)
          .filter((x) => x.name !== 'run.counts')
          .map((x) => (x.category === 'run' ? { ...x, detail: x.detail?.replace(/^.* disagree /, '') } : x));
      expect(without(report)).to.deep.equal(without(reference));
    });
  }
});
