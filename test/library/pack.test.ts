// The library as a user gets it: `npm pack` (which builds dist/ from the current sources when it is stale), the
// tarball installed into a scratch TypeORM app (ESM, strict, moduleResolution nodenext), an app that imports
// `hcpgen` and `hcpgen/entities`, type-checked by the project's tsc against the packed declarations, compiled,
// then run: it generates into a fresh PostgreSQL database from code and reads it back through the entities.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_VERSION } from '../../src/lib/data-version.js';
import { describePostgres } from '../helpers/describe-postgres.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testdb.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    // Our declarations (and typeorm's) are checked too, as a strict app without skipLibCheck would.
    skipLibCheck: false,
    types: ['node'],
    outDir: 'out',
  },
  include: ['app.ts', 'readme.ts'],
};

/** The README's library example, type-checked as a user would paste it (it is not run: its URL is an example). */
function readmeExample(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## As a library'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error('README.md has no ```ts block under "## As a library"');
  return code;
}

const APP = `import { generate, HcpgenError, type DatabaseGenerateResult, type HcpgenErrorCode } from 'hcpgen';
import {
  CampaignEntity,
  EngagementScoreEntity,
  HcpProfileEntity,
  HcpgenRunEntity,
  OutcomeEntity,
  RxHistoryEntity,
  StimulusEntity,
  TerritoryAssignmentEntity,
  type HcpProfile,
  type Stimulus,
} from 'hcpgen/entities';
import { DataSource } from 'typeorm';

const url = process.env.APP_DATABASE_URL!;
const result: DatabaseGenerateResult = await generate({
  scenario: 'default',
  hcps: 200,
  months: 3,
  seed: 7,
  db: url,
  wipe: true,
  workers: 1,
});
const ds = new DataSource({
  type: 'postgres',
  url,
  entities: [
    HcpProfileEntity,
    TerritoryAssignmentEntity,
    CampaignEntity,
    StimulusEntity,
    OutcomeEntity,
    RxHistoryEntity,
    EngagementScoreEntity,
    HcpgenRunEntity,
  ],
});
await ds.initialize();
try {
  const first: HcpProfile | null = await ds.getRepository(HcpProfileEntity).findOneBy({ id: 1 });
  const visits: Stimulus[] = await ds.getRepository(StimulusEntity).findBy({ hcp_id: 1 });
  const npi: string = first!.npi;
  // @ts-expect-error rows are typed by the table model, not any
  void first!.no_such_column;
  const code: HcpgenErrorCode = new HcpgenError('x', { code: 'BAD_INPUT' }).code;
  const counts = {
    hcp_profiles: await ds.getRepository(HcpProfileEntity).count(),
    territory_assignments: await ds.getRepository(TerritoryAssignmentEntity).count(),
    campaigns: await ds.getRepository(CampaignEntity).count(),
    stimuli: await ds.getRepository(StimulusEntity).count(),
    outcomes: await ds.getRepository(OutcomeEntity).count(),
    rx_history: await ds.getRepository(RxHistoryEntity).count(),
    engagement_scores: await ds.getRepository(EngagementScoreEntity).count(),
  };
  const run = await ds.getRepository(HcpgenRunEntity).findOneByOrFail({ id: result.runId! });
  console.log(
    JSON.stringify({
      status: result.status,
      returned: result.counts,
      validation: result.validation && { failed: result.validation.failed },
      counts,
      npi,
      firstVisits: visits.length,
      dataVersion: run.data_version,
      code,
    }),
  );
} finally {
  await ds.destroy();
}

// Never called: options are typed.
export const typed = () =>
  // @ts-expect-error hcps is a number
  generate({ hcps: '200' });
`;

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`);
  }
}

describePostgres('the packed library in a scratch TypeORM app', function () {
  this.timeout(180_000);
  let tmp: string;
  let db: TestDatabase | undefined;

  before(function () {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-pack-'));
  });
  after(async function () {
    await db?.drop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('installs, type-checks against the declarations, generates from code and reads through the entities', async function () {
    // npm runs `prepare` before packing; only the JSON array is npm's answer.
    const packOut = run('npm', ['pack', '--pack-destination', tmp, '--json'], ROOT);
    const packed = JSON.parse(packOut.slice(packOut.indexOf('['))) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed[0]!.files.map((f) => f.path);
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/entities.js', 'dist/entities.d.ts']) {
      expect(files, 'files in the tarball').to.include(f);
    }
    expect(
      files.some((f) => f.startsWith('src/') || f.startsWith('test/')),
      'no sources or tests',
    ).to.equal(false);

    const app = path.join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }),
    );
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    writeFileSync(path.join(app, 'app.ts'), APP);
    writeFileSync(path.join(app, 'readme.ts'), readmeExample());
    // The same versions the project installed, so npm's cache has them.
    run(
      'npm',
      [
        'install',
        path.join(tmp, packed[0]!.filename),
        `typeorm@${pkg.dependencies.typeorm}`,
        `pg@${pkg.dependencies.pg}`,
        `@types/node@${pkg.devDependencies['@types/node']}`,
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
      ],
      app,
    );
    run(process.execPath, [TSC, '-p', 'tsconfig.json'], app);

    db = await createTestDatabase();
    const env = { ...process.env, APP_DATABASE_URL: db.url };
    const out = run(process.execPath, ['out/app.js'], app, env).trim().split('\n').pop()!;
    const r = JSON.parse(out) as {
      status: string;
      returned: Record<string, number>;
      validation: { failed: number } | null;
      counts: Record<string, number>;
      npi: string;
      firstVisits: number;
      dataVersion: number | null;
      code: string;
    };
    expect(r.status).to.equal('generated');
    expect(r.validation).to.deep.equal({ failed: 0 });
    expect(r.counts.hcp_profiles).to.equal(200);
    expect(r.counts).to.deep.equal(r.returned);
    expect(r.npi).to.match(/^\d{10}$/);
    expect(r.firstVisits).to.be.greaterThan(0);
    expect(r.dataVersion).to.equal(DATA_VERSION);
    expect(r.code).to.equal('BAD_INPUT');
  });
});
