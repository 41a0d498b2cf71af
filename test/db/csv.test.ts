import { expect } from 'chai';
import { csvField, csvRow, pgArrayLiteral } from '../../src/db/csv.js';
import { parseInt8, parsePgArray } from '../../src/db/values.js';

describe('csvField / csvRow', () => {
  it('writes NULL as an empty unquoted field and the empty string as ""', () => {
    expect(csvRow([null, undefined, ''])).to.equal(',,""\n');
  });

  it('leaves plain text bare and quotes text with quotes, commas, newlines, backslashes or edge spaces', () => {
    expect(csvField('plain text')).to.equal('plain text');
    expect(csvField('say "hi"')).to.equal('"say ""hi"""');
    expect(csvField('a,b')).to.equal('"a,b"');
    expect(csvField('line1\nline2')).to.equal('"line1\nline2"');
    expect(csvField('cr\rlf')).to.equal('"cr\rlf"');
    expect(csvField('\\.')).to.equal('"\\."');
    expect(csvField(' padded')).to.equal('" padded"');
    expect(csvField('Zoë 東京 🚀')).to.equal('Zoë 東京 🚀');
  });

  it('refuses NUL, which PostgreSQL text cannot hold', () => {
    expect(() => csvField('a\0b')).to.throw(/NUL/);
  });

  it('writes numbers, bigints, booleans, dates and objects as PostgreSQL reads them', () => {
    expect(csvRow([1, -2.5, NaN, Infinity, -Infinity, 12345678901234567890n, true, false])).to.equal(
      '1,-2.5,NaN,Infinity,-Infinity,12345678901234567890,true,false\n',
    );
    expect(csvField(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).to.equal('2024-01-02T03:04:05.000Z');
    expect(csvField({ a: 'x,"y"' })).to.equal('"{""a"":""x,\\""y\\""""}"');
  });

  it('writes arrays as CSV-quoted PostgreSQL array literals', () => {
    expect(pgArrayLiteral([])).to.equal('{}');
    expect(pgArrayLiteral(['a', null, 'NULL', '', 'b,c', 'q"uote', 'back\\slash'])).to.equal(
      '{"a",NULL,"NULL","","b,c","q\\"uote","back\\\\slash"}',
    );
    expect(pgArrayLiteral([[1, 2], [3]])).to.equal('{{1,2},{3}}');
    expect(csvField(['x', 'y'])).to.equal('"{""x"",""y""}"');
  });
});

describe('parsePgArray / parseInt8', () => {
  it('reads what PostgreSQL writes, including quotes, escapes, NULLs and nesting', () => {
    expect(parsePgArray('{}', String)).to.deep.equal([]);
    expect(parsePgArray('{a,"b,c",NULL,"NULL","q\\"x"}', String)).to.deep.equal([
      'a',
      'b,c',
      null,
      'NULL',
      'q"x',
    ]);
    expect(parsePgArray('{{1,2},{3,4}}', Number)).to.deep.equal([
      [1, 2],
      [3, 4],
    ]);
    expect(parsePgArray('[0:1]={5,6}', Number)).to.deep.equal([5, 6]);
  });

  it('keeps int8 values exact: numbers when safe, strings beyond 2^53', () => {
    expect(parseInt8('9007199254740991')).to.equal(9007199254740991);
    expect(parseInt8('9007199254740993')).to.equal('9007199254740993');
    expect(parseInt8('-42')).to.equal(-42);
  });
});
