// Scenario strings with quotes, SQL fragments, commas, newlines and unicode are data, never SQL: a copy of the
// default scenario with hostile specialty, campaign type, segment, tier and region names generates, validates,
// and every value comes back exactly as written.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { isScalar, parseDocument, visit } from 'yaml';
import { PgTarget } from '../../src/db/pg-target.js';
import { PgliteTarget } from '../../src/db/pglite-target.js';
import type { Target } from '../../src/db/target.js';
import { createPgliteDir, createTestDatabase, TEST_TARGET } from '../helpers/testdb.js';
import { hcpgen, ROOT } from './cli.js';

const RENAMES = new Map([
  ['Internal Medicine', `Internal Medicine'); DROP TABLE hcp_profiles; --`],
  ['Family Medicine', 'Family "Medicine", general\\practice'],
  ['Cardiovascular Disease', 'Cardio\nvascular, line two'],
  ['Brand awareness', `Robert'); DROP TABLE campaigns;--`],
  ['Speaker series', '💊 Speaker séries ☤ {a,b} "x"'],
  ['Champion', 'Champion $1 %s ${x}'],
  ['Low Potential', 'إمكانات منخفضة עברית'],
  ['Tier 1', `Tier 1 '; SELECT pg_sleep(10); --`],
  ['Northeast', 'North"east\t(tab), 北東'],
]);

function hostileScenario(dir: string): string {
  const doc = parseDocument(readFileSync(path.join(ROOT, 'scenarios', 'default.yaml'), 'utf8'));
  // Keys and values alike, so every reference (cases, targeting, checks) keeps pointing at the renamed thing.
  visit(doc, {
    Scalar(_, node) {
      if (isScalar(node) && typeof node.value === 'string' && RENAMES.has(node.value)) {
        node.value = RENAMES.get(node.value);
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  const file = path.join(dir, 'hostile.yaml');
  writeFileSync(file, doc.toString());
  return file;
}

async function values(target: Target, sql: string): Promise<string[]> {
  return (await target.query<{ v: string }>(sql)).rows.map((r) => r.v);
}

describe(`hostile scenario text is data [${TEST_TARGET}]`, function () {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-hostile-'));
  let target: Target;
  let cleanup: () => Promise<void> = async () => undefined;

  before(async function () {
    let args: string[] = [];
    let env: NodeJS.ProcessEnv = {};
    let open: () => Promise<Target>;
    if (TEST_TARGET === 'postgres') {
      const db = await createTestDatabase();
      args = [`--db=${db.url}`];
      open = () => PgTarget.connect(db.url);
      cleanup = () => db.drop();
    } else {
      const data = await createPgliteDir();
      env = { HCPGEN_DATA_DIR: data.dir };
      open = () => PgliteTarget.open(data.dir);
      cleanup = async () => data.remove();
    }
    const r = await hcpgen(
      ['generate', '--hcps=1000', '--no-seed-data', `--scenario=${hostileScenario(dir)}`, ...args],
      env,
    );
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/Validation: \d+ passed, 0 failed/);
    target = await open();
  });

  after(async function () {
    await target?.close();
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores specialty, segment, tier and region names exactly as written', async function () {
    const all = new Set([
      ...(await values(target, 'SELECT DISTINCT specialty AS v FROM hcp_profiles')),
      ...(await values(target, 'SELECT DISTINCT segment AS v FROM hcp_profiles')),
      ...(await values(target, 'SELECT DISTINCT tier AS v FROM hcp_profiles')),
      ...(await values(target, 'SELECT DISTINCT region AS v FROM hcp_profiles')),
    ]);
    for (const name of [
      'Internal Medicine',
      'Family Medicine',
      'Cardiovascular Disease',
      'Champion',
      'Low Potential',
      'Tier 1',
      'Northeast',
    ]) {
      expect(all, name).to.include(RENAMES.get(name));
      expect(all).not.to.include(name);
    }
  });

  it('stores campaign types and targeting arrays exactly as written', async function () {
    const types = await values(target, 'SELECT DISTINCT campaign_type AS v FROM campaigns');
    expect(types).to.include(RENAMES.get('Brand awareness')).and.include(RENAMES.get('Speaker series'));
    const tiers = await values(target, 'SELECT DISTINCT unnest(target_tiers) AS v FROM campaigns');
    expect(tiers).to.include(RENAMES.get('Tier 1'));
    const segments = await values(target, 'SELECT DISTINCT unnest(target_segments) AS v FROM campaigns');
    expect(segments).to.include(RENAMES.get('Champion'));
  });

  it('ran nothing it was given: every table is still there', async function () {
    const n = await values(target, 'SELECT count(*)::text AS v FROM hcp_profiles');
    expect(n).to.deep.equal(['1000']);
    expect(await values(target, 'SELECT count(*)::text AS v FROM campaigns')).to.have.length(1);
  });
});
