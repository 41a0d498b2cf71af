import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { UserError } from '../../src/lib/errors.js';
import { packageRoot, resolveScenario, shippedScenarioNames } from '../../src/scenario/resolve.js';

describe('resolveScenario', () => {
  it('finds the package root from the module location', () => {
    const manifest = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {
      name: string;
    };
    expect(manifest.name).to.equal('hcpgen');
    expect(existsSync(path.join(packageRoot(), 'schemas', 'scenario.schema.json'))).to.equal(true);
  });

  it('maps a bare name to the shipped scenario, whatever the working directory', () => {
    expect(resolveScenario('default', '/')).to.equal(path.join(packageRoot(), 'scenarios', 'default.yaml'));
    expect(shippedScenarioNames()).to.include('default');
  });

  it('treats anything path-like as a path relative to the working directory', () => {
    expect(resolveScenario('./x.yaml', '/tmp/a')).to.equal('/tmp/a/x.yaml');
    expect(resolveScenario('x.yml', '/tmp/a')).to.equal('/tmp/a/x.yml');
    expect(resolveScenario('sub/x', '/tmp/a')).to.equal('/tmp/a/sub/x');
    expect(resolveScenario('/abs/x.yaml', '/tmp/a')).to.equal('/abs/x.yaml');
  });

  it('rejects an unknown name, listing the names that exist', () => {
    let caught: unknown;
    try {
      resolveScenario('defualt', '/');
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(UserError);
    expect((caught as UserError).message).to.equal('there is no scenario named "defualt".');
    expect((caught as UserError).hint).to.contain('default');
    expect((caught as UserError).exitCode).to.equal(2);
  });
});
