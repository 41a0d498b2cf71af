import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedDataDir } from '../../src/fixtures/seed-data-flag.js';

describe('--seed-data', function () {
  it("defaults to the working directory's seed-data folder when it exists, and only then", function () {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-cwd-'));
    try {
      expect(seedDataDir(undefined, false, cwd)).to.equal(undefined);
      mkdirSync(path.join(cwd, 'seed-data'));
      expect(seedDataDir(undefined, false, cwd)).to.equal(path.join(cwd, 'seed-data'));
      expect(seedDataDir(undefined, true, cwd)).to.equal(undefined);
      expect(seedDataDir('fx', false, cwd)).to.equal(path.join(cwd, 'fx'));
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
