// The build saves the schema model it derives from the TypeORM entities (dist/db/schema-model.json), and a
// built run reads that instead of importing TypeORM. Both halves are checked against the built package that
// `npm install` (prepare) leaves in dist/: the saved model is the entities' model, and a built generate never
// loads TypeORM.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { schemaModelFromEntities } from '../../src/db/ddl-typeorm.js';
import { packageRoot } from '../../src/scenario/resolve.js';

const DIST = path.join(packageRoot(), 'dist');

describe('the saved schema model of the build', function () {
  this.timeout(120_000);
  before(function () {
    // A checkout that was never built (tsx only) has nothing to check; npm install and CI always build.
    if (!existsSync(path.join(DIST, 'db', 'schema-model.json'))) this.skip();
  });

  it('is the model the entities give', async () => {
    const saved = JSON.parse(readFileSync(path.join(DIST, 'db', 'schema-model.json'), 'utf8')) as {
      buildId: string;
      model: unknown;
    };
    expect(saved.buildId).to.equal(readFileSync(path.join(DIST, 'build-id'), 'utf8').trim());
    expect(saved.model).to.deep.equal(await schemaModelFromEntities());
  });

  it('lets a built generate create, load and key its tables without loading TypeORM', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-schema-model-'));
    try {
      const script = `
        import { createRequire } from 'node:module';
        const { generate } = await import(${JSON.stringify(path.join(DIST, 'generate', 'run.js'))});
        const r = await generate({ scenario: 'default', seed: 42, asOf: '2025-12-31', hcps: 60, quiet: true, workers: 0 });
        const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('/typeorm/'));
        console.log(JSON.stringify({ status: r.status, rows: r.counts.stimuli, typeorm: loaded.length }));`;
      const env: NodeJS.ProcessEnv = { ...process.env, HCPGEN_DATA_DIR: path.join(dir, 'pglite') };
      delete env.DATABASE_URL;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        env,
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).to.equal(0);
      const out = JSON.parse(run.stdout.trim()) as { status: string; rows: number; typeorm: number };
      expect(out.status).to.equal('generated');
      expect(out.rows).to.be.greaterThan(100);
      expect(out.typeorm).to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
