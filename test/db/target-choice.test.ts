import os from 'node:os';
import { expect } from 'chai';
import { databaseUrl, defaultWorkers } from '../../src/db/target-choice.js';

describe('target choice before opening', () => {
  const cores = os.availableParallelism();
  const url = 'postgres://postgres@127.0.0.1:5432/x';

  it('uses --db, else DATABASE_URL, else the embedded database', () => {
    expect(databaseUrl(url, {})).to.equal(url);
    expect(databaseUrl(undefined, { DATABASE_URL: url })).to.equal(url);
    expect(databaseUrl('', { DATABASE_URL: url })).to.equal(url);
    expect(databaseUrl(undefined, {})).to.equal(undefined);
    expect(databaseUrl(undefined, { DATABASE_URL: '' })).to.equal(undefined);
  });

  it('leaves the main thread a core on the embedded database, and only there', () => {
    expect(defaultWorkers({}, {})).to.equal(Math.max(1, cores - 1));
    expect(defaultWorkers({ db: url }, {})).to.equal(cores);
    expect(defaultWorkers({}, { DATABASE_URL: url })).to.equal(cores);
    expect(defaultWorkers({ out: '/tmp/out' }, {})).to.equal(cores);
  });
});
