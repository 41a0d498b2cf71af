import { expect } from 'chai';
import { renderDdl } from '../../src/db/ddl.js';
import { entityDataSource } from '../../src/db/ddl-typeorm.js';
import { ALL_ENTITIES } from '../../src/db/entities.js';
import { PgTarget } from '../../src/db/pg-target.js';
import type { Target } from '../../src/db/target.js';
import { createPgliteTarget, createTestDatabase, type TestDatabase } from '../helpers/testdb.js';
import { describePostgres } from '../helpers/describe-postgres.js';

/** SQL TypeORM's schema builder would run to make the database match the entities (empty = they match). */
async function pendingSchemaChanges(url: string): Promise<string[]> {
  const ds = entityDataSource(url);
  await ds.initialize();
  try {
    const memory = await ds.driver.createSchemaBuilder().log();
    return memory.upQueries.map((q) => q.query);
  } finally {
    await ds.destroy();
  }
}

async function applyDdl(target: Target): Promise<void> {
  const ddl = await renderDdl();
  for (const sql of [...ddl.createTables, ...ddl.keysAndIndexes]) await target.query(sql);
}

/**
 * Everything about the public schema that DDL decides, read from the catalogs in a stable order. NOT NULL shows in
 * is_nullable; pg_constraint rows for it (contype 'n', PostgreSQL 18+, which PGlite is) are left out.
 */
async function catalogSnapshot(target: Target): Promise<unknown> {
  const columns = await target.query(
    `SELECT table_name, column_name, ordinal_position, data_type, udt_name, character_maximum_length,
            is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const constraints = await target.query(
    `SELECT c.conrelid::regclass::text AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND c.contype <> 'n' ORDER BY 1, 2`,
  );
  const indexes = await target.query(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`,
  );
  return { columns: columns.rows, constraints: constraints.rows, indexes: indexes.rows };
}

describe('DDL rendered from the entities', () => {
  it('quotes every identifier and keeps keys out of CREATE TABLE', async () => {
    const ddl = await renderDdl({ schema: 'stage "x"' });
    expect(ddl.createTables).to.have.length(ALL_ENTITIES.length);
    for (const sql of ddl.createTables) {
      expect(sql).to.match(/^CREATE TABLE "stage ""x"""\."[a-z_]+" \(/);
      expect(sql).not.to.match(/PRIMARY KEY|UNIQUE|REFERENCES/);
    }
    expect(ddl.keysAndIndexes.join('\n')).to.include(
      'ALTER TABLE "stage ""x"""."stimuli" ADD CONSTRAINT "stimuli_campaign_id_fkey" FOREIGN KEY ("campaign_id") ' +
        'REFERENCES "stage ""x"""."campaigns" ("id")',
    );
  });

  describePostgres('on PostgreSQL', () => {
    let db: TestDatabase;
    let target: PgTarget;
    before(async () => {
      db = await createTestDatabase();
      target = await PgTarget.connect(db.url);
      await applyDdl(target);
    });
    after(async () => {
      await target.close();
      await db.drop();
    });

    it("leaves TypeORM's schema builder nothing to change", async () => {
      expect(await pendingSchemaChanges(db.url)).to.deep.equal([]);
    });

    it('is checked for real: a missing index or a changed column shows up as a pending change', async () => {
      await target.query('BEGIN');
      try {
        await target.query('DROP INDEX "stimuli_campaign_id_idx"');
        await target.query('ALTER TABLE "hcp_profiles" ALTER COLUMN "email" SET NOT NULL');
        await target.query('COMMIT');
        const pending = (await pendingSchemaChanges(db.url)).join('\n');
        expect(pending).to.include('stimuli_campaign_id_idx');
        expect(pending).to.include('"email"');
      } finally {
        await target.query('ROLLBACK').catch(() => undefined);
        await target.query(
          'CREATE INDEX IF NOT EXISTS "stimuli_campaign_id_idx" ON "stimuli" ("campaign_id")',
        );
        await target.query('ALTER TABLE "hcp_profiles" ALTER COLUMN "email" DROP NOT NULL');
      }
      expect(await pendingSchemaChanges(db.url)).to.deep.equal([]);
    });

    it('builds the same catalog on PGlite as on PostgreSQL', async () => {
      const p = await createPgliteTarget();
      try {
        await applyDdl(p.target);
        expect(await catalogSnapshot(p.target)).to.deep.equal(await catalogSnapshot(target));
      } finally {
        await p.cleanup();
      }
    });
  });
});
