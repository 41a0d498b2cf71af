// Directories hcpgen cannot make: a path under a regular file, and one under /proc, where Node's recursive
// mkdir never returns (it used to hang generate, plan and the embedded database for good). Each is a clean
// error with exit 2, or (the reference cache, an optimisation) no error at all.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { hcpgen, STACK_FRAME } from './cli.js';

describe('directories that cannot be made', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-unusable-'));
  const file = path.join(dir, 'a-file');
  writeFileSync(file, 'not a directory');
  const proc = existsSync('/proc/self') ? ['/proc/hcpgen-nope/x'] : [];
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const bad of [path.join(file, 'data'), ...proc]) {
    it(`HCPGEN_DATA_DIR=${bad}: exit 2 with what to do`, async () => {
      const r = await hcpgen(['generate', '--hcps=20', '--no-seed-data'], {
        HCPGEN_DATA_DIR: bad,
        DATABASE_URL: '',
      });
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.include('Set HCPGEN_DATA_DIR to a directory you can write to');
      expect(r.stderr).not.to.include('internal error');
      expect(r.stderr).not.to.match(STACK_FRAME);
    });

    it(`--out ${bad}: exit 2 with what to do`, async () => {
      const r = await hcpgen(['generate', '--hcps=20', '--no-seed-data', `--out=${bad}`, '--format=csv']);
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.include('Choose a directory you can write to');
      expect(r.stderr).not.to.include('internal error');
    });

    it(`HCPGEN_CACHE_DIR=${bad}: plan still works, nothing cached`, async () => {
      const r = await hcpgen(['plan', '--hcps=600'], { HCPGEN_CACHE_DIR: bad });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.include('What the data will look like');
    });
  }
});
