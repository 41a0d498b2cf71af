import { expect } from 'chai';
import { compileFormula, evaluateFormula, FormulaError } from '../../src/expr/formula.js';

const VARS = ['hcps', 'months'];
const at = { hcps: 25_000, months: 12 };
const value = (text: string | number, vars: Record<string, number> = at) =>
  compileFormula(text, VARS).evaluate(vars);

/** The FormulaError thrown for `text`, or a failure if it compiles. */
function errorOf(text: string): FormulaError {
  try {
    compileFormula(text, VARS);
  } catch (e) {
    expect(e).to.be.instanceOf(FormulaError);
    return e as FormulaError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('formulas', () => {
  it('evaluates the scenario examples', () => {
    expect(value('min(500, round(30 + hcps / 100))')).to.equal(280);
    expect(value('min(500, round(30 + hcps / 100))', { hcps: 1_000_000, months: 12 })).to.equal(500);
    expect(value('hcps * 1.25')).to.equal(31_250);
    expect(value('40 / 12')).to.be.closeTo(3.3333333, 1e-6);
  });

  it('accepts plain numbers and numeric text', () => {
    expect(value(42)).to.equal(42);
    expect(value(0.5)).to.equal(0.5);
    expect(value('7')).to.equal(7);
    expect(value('1e3')).to.equal(1000);
    expect(compileFormula(3).variables).to.deep.equal([]);
  });

  it('follows arithmetic precedence and associativity', () => {
    expect(value('2 + 3 * 4')).to.equal(14);
    expect(value('(2 + 3) * 4')).to.equal(20);
    expect(value('10 - 4 - 3')).to.equal(3);
    expect(value('2 ** 3 ** 2')).to.equal(512);
    expect(value('(-2) ** 2')).to.equal(4);
    expect(value('-(2 ** 2)')).to.equal(-4);
    expect(value('17 % 5')).to.equal(2);
    expect(value('-hcps + +3')).to.equal(-24_997);
  });

  it('supports comparisons, logic and the ternary', () => {
    expect(value('hcps > 10000 ? 3 : 1')).to.equal(3);
    expect(value('hcps > 10000 ? 3 : 1', { hcps: 5, months: 1 })).to.equal(1);
    expect(value('months >= 12')).to.equal(1);
    expect(value('months != 12')).to.equal(0);
    expect(value('months == 12 && hcps < 100 ? 1 : 2')).to.equal(2);
    expect(value('months < 6 || hcps > 100 ? 1 : 2')).to.equal(1);
    expect(value('!(months > 6)')).to.equal(0);
  });

  it('has the whitelisted functions', () => {
    expect(value('max(1, 7, 3)')).to.equal(7);
    expect(value('floor(2.7) + ceil(2.1) + abs(-1) + round(2.5)')).to.equal(9);
    expect(value('sqrt(16) + pow(2, 10)')).to.equal(1028);
    expect(value('log(exp(2))')).to.be.closeTo(2, 1e-12);
    expect(value('clamp(hcps, 10, 500)')).to.equal(500);
    expect(value('clamp(-4, 0, 5)')).to.equal(0);
  });

  it('lists the variables used', () => {
    expect(compileFormula('months * hcps / months', VARS).variables).to.deep.equal(['hcps', 'months']);
    expect(compileFormula('40 / 12', VARS).variables).to.deep.equal([]);
  });

  it('returns NaN and Infinity for the caller to detect', () => {
    expect(value('hcps / 0')).to.equal(Infinity);
    expect(Number.isNaN(value('sqrt(-1)'))).to.equal(true);
    expect(Number.isNaN(value('0 / 0'))).to.equal(true);
  });

  it('reports unknown variables with the known ones and the offset', () => {
    const e = errorOf('30 + hpcs / 100');
    expect(e.reason).to.equal("unknown variable 'hpcs'; known: hcps, months");
    expect(e.offset).to.equal(5);
    expect(e.column).to.equal(6);
    expect(e.message).to.contain("unknown variable 'hpcs'").and.contain('column 6');
  });

  it('reports syntax errors, unknown functions and bad arity with offsets', () => {
    expect(errorOf('min(1, ').reason).to.match(/^syntax error/);
    expect(errorOf('1 +').offset).to.equal(3);
    expect(errorOf('hcps * (2').reason).to.match(/^syntax error/);
    const f = errorOf('1 + mean(hcps)');
    expect(f.reason).to.match(/^unknown function 'mean'; known: abs, ceil, clamp/);
    expect(f.offset).to.equal(4);
    expect(errorOf('2 * round(1, 2)').reason).to.equal('round() takes 1 argument, got 2');
    expect(errorOf('clamp(1, 2)').reason).to.equal('clamp() takes 3 arguments, got 2');
    expect(errorOf('max()').reason).to.equal('max() takes at least 1 argument, got 0');
    expect(errorOf('min + 1').reason).to.match(/'min' is a function/);
    expect(errorOf('').reason).to.equal('the formula is empty');
    const two = errorOf('1 2');
    expect(two.reason).to.match(/single expression/);
    expect(two.offset).to.equal(2);
    const op = errorOf('(hcps && 1) & 3');
    expect(op.reason).to.equal("operator '&' is not allowed in formulas");
    expect(op.offset).to.equal(12);
    expect(errorOf('-2 ** 2').reason).to.match(/ambiguous/);
  });

  it('rejects hostile input', () => {
    const cases: [string, RegExp, number][] = [
      ['constructor', /unknown variable 'constructor'/, 0],
      ['__proto__', /unknown variable '__proto__'/, 0],
      ['hasOwnProperty', /unknown variable 'hasOwnProperty'/, 0],
      ['toString()', /unknown function 'toString'/, 0],
      ['constructor.constructor("return 1")()', /only named functions can be called/, 0],
      ['process.exit()', /only named functions can be called/, 0],
      ['1 + a.b', /property access is not allowed/, 4],
      ['min.call(1)', /only named functions/, 0],
      ['hcps["length"]', /property access is not allowed/, 0],
      ['"x"', /strings are not allowed/, 0],
      ["2 * 'x'", /strings are not allowed/, 4],
      ['[1]', /arrays are not allowed/, 0],
      ['this', /'this' is not allowed/, 0],
      ['this.hcps', /property access/, 0],
      ['true', /'true' is not allowed/, 0],
      ['null', /'null' is not allowed/, 0],
      ['hcps = 1', /syntax error/, 5],
      ['`x`', /syntax error/, 0],
      ['~hcps', /operator '~' is not allowed/, 0],
      ['hcps >> 1', /operator '>>' is not allowed/, 5],
    ];
    for (const [text, reason, offset] of cases) {
      const e = errorOf(text);
      expect(e.reason, text).to.match(reason);
      expect(e.offset, text).to.equal(offset);
    }
  });

  it('does not read variables from the prototype or accept missing values', () => {
    const f = compileFormula('hcps + 1', VARS);
    expect(() => f.evaluate({ months: 1 })).to.throw(FormulaError, /no value was given for variable 'hcps'/);
    const proto = compileFormula('constructor', ['constructor']);
    expect(() => proto.evaluate({})).to.throw(FormulaError);
    expect(evaluateFormula('a * b', { a: 6, b: 7 })).to.equal(42);
  });
});
