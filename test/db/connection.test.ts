import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { redactUrl } from '../../src/db/connection-errors.js';
import { openTarget } from '../../src/db/open-target.js';
import { UserError } from '../../src/lib/errors.js';
import { describePostgres } from '../helpers/describe-postgres.js';
import {
  ADMIN_URL,
  adminQuery,
  createPgliteDir,
  createTestDatabase,
  type TestDatabase,
} from '../helpers/testdb.js';

const SECRET = 'Sup3r-s3cret-pw';

async function openError(db: string): Promise<UserError> {
  try {
    const t = await openTarget({ db, env: {} });
    await t.close();
  } catch (err) {
    expect(err).to.be.instanceOf(UserError);
    return err as UserError;
  }
  throw new Error(`expected ${redactUrl(db)} to fail`);
}

function withParts(parts: { user?: string; password?: string; port?: string; database?: string }): string {
  const u = new URL(ADMIN_URL);
  if (parts.user !== undefined) u.username = parts.user;
  if (parts.password !== undefined) u.password = parts.password;
  if (parts.port !== undefined) u.port = parts.port;
  if (parts.database !== undefined) u.pathname = `/${parts.database}`;
  return u.toString();
}

describePostgres('openTarget connection errors', () => {
  const host = new URL(ADMIN_URL).hostname;
  const port = new URL(ADMIN_URL).port || '5432';

  it('unreachable port: names host, port and database, and not the password', async () => {
    const err = await openError(withParts({ port: '1', password: SECRET, database: 'somedb' }));
    expect(err.message).to.include(`${host}:1`).and.include('"somedb"').and.include('connection refused');
    expect(err.message).not.to.include(SECRET);
  });

  it('missing database: says it does not exist and how to create it', async () => {
    const err = await openError(withParts({ password: SECRET, database: 'hcpgen_no_such_db' }));
    expect(err.message).to.include('"hcpgen_no_such_db" does not exist').and.include(`${host}:${port}`);
    expect(err.message).to.include('createdb');
    expect(err.message).not.to.include(SECRET);
  });

  it('unknown user with a password: says the login was refused', async () => {
    const err = await openError(withParts({ user: 'hcpgen_nobody', password: SECRET, database: 'postgres' }));
    expect(err.message)
      .to.include(`${host}:${port}`)
      .and.include('"postgres"')
      .and.include('"hcpgen_nobody"');
    expect(err.message).to.match(/refused the login/);
    expect(err.message).not.to.include(SECRET);
  });

  it('malformed URL and wrong scheme: says how to write one, without the password', async () => {
    const bad = await openError(`postgres://someone:${SECRET}@${host}:99999/db`);
    expect(bad.message)
      .to.match(/not a valid URL/)
      .and.include('postgres://USER');
    expect(bad.message).to.include('someone:***@');
    expect(bad.message).not.to.include(SECRET);
    const scheme = await openError(`mysql://someone:${SECRET}@${host}/db`);
    expect(scheme.message).to.match(/only speaks PostgreSQL/);
    expect(scheme.message).not.to.include(SECRET);
  });

  describe('insufficient privilege', () => {
    let db: TestDatabase;
    const role = `hcpgen_noconnect_${randomBytes(4).toString('hex')}`;
    before(async () => {
      db = await createTestDatabase();
      await adminQuery(`CREATE ROLE "${role}" LOGIN`);
      await adminQuery(`REVOKE CONNECT ON DATABASE "${db.name}" FROM PUBLIC`);
    });
    after(async () => {
      await db.drop();
      await adminQuery(`DROP ROLE IF EXISTS "${role}"`);
    });

    it('says which grant is missing', async () => {
      const err = await openError(withParts({ user: role, password: SECRET, database: db.name }));
      expect(err.message).to.include(`User "${role}" may not use`).and.include(`"${db.name}"`);
      expect(err.message).to.include('GRANT CONNECT');
      expect(err.message).not.to.include(SECRET);
    });
  });
});

describe('openTarget precedence', () => {
  it('uses --db over DATABASE_URL, DATABASE_URL over the embedded database', async () => {
    const { dir, remove } = await createPgliteDir();
    try {
      const embedded = await openTarget({ env: { HCPGEN_DATA_DIR: dir } });
      expect(embedded.kind).to.equal('pglite');
      expect(embedded.description).to.equal(dir);
      await embedded.close();

      const fromEnv = await openTarget({ env: { DATABASE_URL: ADMIN_URL, HCPGEN_DATA_DIR: dir } });
      expect(fromEnv.kind).to.equal('postgres');
      await fromEnv.close();

      const err = await openError(withParts({ port: '1' }));
      expect(err.message).to.include(':1 ');
      const flagWins = await rejectionOf(
        openTarget({ db: withParts({ port: '1' }), env: { DATABASE_URL: ADMIN_URL } }),
      );
      expect(flagWins.message).to.include(':1 ');
    } finally {
      remove();
    }
  });
});

async function rejectionOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}
