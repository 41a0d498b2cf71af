// The build's precompiled schema validators (ajv standalone code) must accept exactly what the full checker
// accepts, and must not be used once the schema has changed since they were written.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import type { AnySchemaObject } from 'ajv';
import { createSchemaChecker, schemaPath } from '../../src/scenario/check.js';
import { precompiledValidator } from '../../src/scenario/precompiled-schema.js';
import { standaloneValidatorCode } from '../../src/scenario/schema-standalone.js';
import { packageRoot, shippedScenarioFiles } from '../../src/scenario/resolve.js';
import { fixturesSchemaPath } from '../../src/fixtures/files.js';
import { streamFor } from '../../src/random/keyed.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

describe('precompiled schema validators', function () {
  this.timeout(60_000);
  // Inside the package, so that the code's require('ajv/dist/runtime/...') resolves as it does from dist/.
  const dir = path.join(packageRoot(), 'node_modules', '.cache', `hcpgen-precompiled-${process.pid}`);
  before(() => mkdirSync(dir, { recursive: true }));
  after(() => rmSync(dir, { recursive: true, force: true }));

  function written(name: string, schemaFile: string, code = standaloneValidatorCode(schemaFile)): string {
    const file = path.join(dir, `${name}.schema-validate.cjs`);
    writeFileSync(file, code);
    return file;
  }

  /** Documents from `base`: itself and mutants (a value replaced by another type, a key removed or added). */
  function mutants(base: Json, count: number, id: number): Json[] {
    const stream = streamFor(42, 'precompiled', id, 'mutation');
    const rng = (): number => stream.next();
    const out: Json[] = [base];
    const replacements: Json[] = [null, -1, 'x', [], {}, true, 1.5, 1e12];
    for (let i = 0; i < count; i++) {
      const doc = structuredClone(base);
      // Walk to a random container and change one of its entries.
      let node: Json = doc;
      for (let depth = 0; depth < 1 + Math.floor(rng() * 5); depth++) {
        const keys = Array.isArray(node)
          ? node.map((_, j) => j)
          : node && typeof node === 'object'
            ? Object.keys(node)
            : [];
        if (keys.length === 0) break;
        const k = keys[Math.floor(rng() * keys.length)]!;
        const child: Json = (node as Record<string | number, Json>)[k]!;
        if (child === null || typeof child !== 'object' || rng() < 0.3) {
          const r = rng();
          const target = node as Record<string | number, Json>;
          if (r < 0.2 && !Array.isArray(node)) delete target[k];
          else if (r < 0.3 && !Array.isArray(node)) target[`unknown_${i}`] = 1;
          else target[k] = replacements[Math.floor(rng() * replacements.length)]!;
          break;
        }
        node = child;
      }
      out.push(doc);
    }
    return out;
  }

  for (const [name, schemaFile, docs] of [
    [
      'scenario',
      schemaPath(),
      [
        ...shippedScenarioFiles(),
        path.join(packageRoot(), 'test', 'fixtures', 'scenarios', 'immunology-biologic.yaml'),
      ],
    ],
    ['fixtures', fixturesSchemaPath(), [path.join(packageRoot(), 'seed-data', 'example-fixtures.yaml')]],
  ] as const) {
    it(`${name}: accepts exactly what the full checker accepts (shipped files and 300 mutants of each)`, () => {
      const quick = precompiledValidator(schemaFile, name, written(name, schemaFile));
      expect(quick).to.be.a('function');
      const full = createSchemaChecker(JSON.parse(readFileSync(schemaFile, 'utf8')) as AnySchemaObject);
      let accepted = 0;
      let rejected = 0;
      for (const [i, file] of docs.entries()) {
        for (const doc of mutants(parse(readFileSync(file, 'utf8')) as Json, 300, i)) {
          const expected = full.validate(doc);
          expect(quick!(doc), JSON.stringify(doc).slice(0, 200)).to.equal(expected);
          if (expected) accepted++;
          else rejected++;
        }
      }
      // Both outcomes must have been exercised for the comparison to mean anything.
      expect(accepted).to.be.greaterThan(docs.length - 1);
      expect(rejected).to.be.greaterThan(100);
    });
  }

  it('is not used when the schema changed after it was written, or when it is missing', () => {
    const stale = standaloneValidatorCode(schemaPath()).replace(
      /schemaSha256 = "[0-9a-f]+"/,
      'schemaSha256 = "0"',
    );
    expect(precompiledValidator(schemaPath(), 'scenario', written('stale', schemaPath(), stale))).to.equal(
      undefined,
    );
    expect(precompiledValidator(schemaPath(), 'scenario', path.join(dir, 'none.cjs'))).to.equal(undefined);
  });
});
