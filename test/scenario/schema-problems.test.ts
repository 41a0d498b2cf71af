// The ajv-to-problem mapping on a small schema of its own, so each rule is seen in isolation.
import { expect } from 'chai';
import { checkAgainstSchema, createSchemaChecker } from '../../src/scenario/check.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/scenario/problems.js';
import { closest } from '../../src/scenario/suggest.js';

const checker = createSchemaChecker({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'size', 'dist'],
  definitions: {
    formula: { oneOf: [{ type: 'number' }, { type: 'string', minLength: 1 }] },
    dist: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'value'],
          properties: { type: { const: 'constant' }, value: { type: 'number' } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'mu', 'sigma'],
          properties: {
            type: { const: 'lognormal' },
            mu: { type: 'number' },
            sigma: { type: 'number', minimum: 0 },
            round: { oneOf: [{ type: 'boolean' }, { const: 'floor' }] },
          },
        },
      ],
    },
  },
  properties: {
    name: { type: 'string', pattern: '^[a-z]+$', description: 'lower-case letters only' },
    size: { $ref: '#/definitions/formula' },
    mode: { enum: ['fast', 'careful'] },
    dist: { $ref: '#/definitions/dist' },
    tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, minItems: 1 },
  },
});

function check(yaml: string): string[] {
  return checkAgainstSchema(loadScenarioText(yaml, 'x.yaml'), checker).map((p) => formatProblem(p));
}

describe('schema problems', () => {
  it('accepts a valid document', () => {
    expect(check('name: ok\nsize: 3\ndist: { type: constant, value: 1 }\n')).to.deep.equal([]);
  });

  it('names an unknown key at the key and suggests the closest known one', () => {
    expect(check('name: ok\nsize: 3\nsise: 4\ndist: { type: constant, value: 1 }\n')).to.deep.equal([
      'x.yaml:3:1: unknown key "sise" (did you mean "size"?)',
    ]);
  });

  it('lists the allowed keys when nothing is close', () => {
    expect(check('name: ok\nsize: 3\nzzzzzz: 4\ndist: { type: constant, value: 1 }\n')[0]).to.contain(
      '(allowed keys: name, size, mode, dist, tags)',
    );
  });

  it('says what type was expected and what was found', () => {
    expect(check('name: [a]\nsize: 3\ndist: { type: constant, value: 1 }\n')).to.deep.equal([
      'x.yaml:1:7: name must be a string, not a list',
    ]);
  });

  it('lists enum values and suggests the closest', () => {
    expect(check('name: ok\nsize: 3\nmode: fats\ndist: { type: constant, value: 1 }\n')).to.deep.equal([
      'x.yaml:3:7: mode is "fats", which is not one of: fast, careful (did you mean "fast"?)',
    ]);
  });

  it('reports a missing required key at the mapping', () => {
    expect(check('name: ok\ndist: { type: constant, value: 1 }\n')).to.deep.equal([
      'x.yaml:1:1: the scenario is missing required key "size"',
    ]);
  });

  it('uses the schema description as the hint for a pattern', () => {
    expect(check('name: OK\nsize: 3\ndist: { type: constant, value: 1 }\n')).to.deep.equal([
      'x.yaml:1:7: name is "OK", which is not in the expected format (lower-case letters only)',
    ]);
  });

  it('reduces a failed oneOf of plain types to one line', () => {
    expect(check('name: ok\nsize: true\ndist: { type: constant, value: 1 }\n')).to.deep.equal([
      'x.yaml:2:7: size must be a number or a string, not the boolean true',
    ]);
    expect(check('name: ok\nsize: ""\ndist: { type: constant, value: 1 }\n')).to.deep.equal([
      'x.yaml:2:7: size must not be empty',
    ]);
  });

  it('reports only the errors of the branch whose type: matches, nested oneOf included', () => {
    expect(
      check('name: ok\nsize: 1\ndist: { type: lognormal, mu: x, sigma: -1, round: up }\n'),
    ).to.deep.equal([
      'x.yaml:3:30: dist.mu must be a number, not the text "x"',
      'x.yaml:3:40: dist.sigma must be >= 0, but it is -1',
      'x.yaml:3:51: dist.round must be true or false or "floor", not the text "up"',
    ]);
  });

  it('names an unknown discriminator value and a missing one', () => {
    expect(check('name: ok\nsize: 1\ndist: { type: lognorml, mu: 1, sigma: 1 }\n')).to.deep.equal([
      'x.yaml:3:15: dist.type is "lognorml", which is not one of: constant, lognormal (did you mean "lognormal"?)',
    ]);
    expect(check('name: ok\nsize: 1\ndist: { mu: 1, sigma: 1 }\n')).to.deep.equal([
      'x.yaml:3:7: dist is missing "type" (one of constant, lognormal)',
    ]);
    expect(check('name: ok\nsize: 1\ndist: 5\n')).to.deep.equal([
      'x.yaml:3:7: dist must be a mapping with "type: ..." (one of constant, lognormal), not the number 5',
    ]);
  });

  it('points a repeated list item at the repeat', () => {
    expect(check('name: ok\nsize: 1\ndist: { type: constant, value: 1 }\ntags: [a, b, a]\n')).to.deep.equal([
      'x.yaml:4:14: tags lists "a" more than once (remove the repeat)',
    ]);
  });

  it('reports several problems at once', () => {
    expect(check('name: 1\nsize: true\nmode: x\ndist: { type: constant }\n')).to.have.length(4);
  });
});

describe('closest', () => {
  it('suggests a near word, nothing for a far one, and nothing on a tie', () => {
    expect(closest('wieght', ['weight', 'name'])).to.equal('weight');
    expect(closest('xyz', ['weight', 'name'])).to.equal(undefined);
    expect(closest('Tier5', ['Tier 1', 'Tier 2'])).to.equal(undefined);
  });
});
