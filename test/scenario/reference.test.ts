// docs/scenario-reference.md is generated from the schema: it must be what the generator writes today (no drift),
// and every key of the format must have a description and an example (the schema's own or a shipped value).
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';
import { buildReference, REFERENCE_FILE, ReferenceBuilder } from '../../scripts/scenario-reference.js';

describe('the scenario field reference', () => {
  const { text, gaps } = buildReference();

  it('is up to date with schemas/scenario.schema.json (regenerate: npm run reference:update)', () => {
    expect(
      readFileSync(REFERENCE_FILE, 'utf8') === text,
      'docs/scenario-reference.md is stale: run npm run reference:update',
    ).to.be.true;
  });

  it('has a description and an example for every key', () => {
    expect(gaps.map((g) => `no ${g.missing}: ${g.path}`)).to.deep.equal([]);
  });

  it('links only to sections it has', () => {
    const anchors = new Set(
      [...text.matchAll(/^## (.+)$/gm)].map((m) =>
        m[1]!
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, ''),
      ),
    );
    const links = [...text.matchAll(/\]\(#([a-z0-9-]+)\)/g)].map((m) => m[1]!);
    expect(links.length).to.be.greaterThan(10);
    expect(links.filter((l) => !anchors.has(l))).to.deep.equal([]);
  });

  it('lists every top-level key and reports a key without a description as a gap', () => {
    const schema = {
      properties: { a: { type: 'number', description: 'A count.' }, b: { type: 'string' } },
      required: ['a'],
    };
    const builder = new ReferenceBuilder(schema, [parse('a: 3\nb: x\n')]);
    const out = builder.render();
    expect(out).to.match(/\| `a` \| number \| yes \| A count\. \| `3` \|/);
    expect(builder.gaps).to.deep.equal([{ path: 'Top level: b', missing: 'description' }]);
  });
});
