// Suites that only make sense on a PostgreSQL server (advisory locks across connections, roles and privileges,
// a client killed mid-statement) are registered only when the tests run against one (TEST_TARGET), so the
// embedded-database run of the suite neither fails nor silently skips them.
import { TEST_TARGET } from './testdb.js';

export function describePostgres(title: string, body: (this: Mocha.Suite) => void): void {
  if (TEST_TARGET === 'postgres') describe(`${title} [postgres]`, body);
}
