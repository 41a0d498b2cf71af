// One representation of query results for both targets. Left alone, `pg` returns int8 and numeric as strings
// and parses dates in the local time zone, while PGlite returns int8 as BigInt (a JS number when small) and dates
// as UTC; the same query would give different JSON depending on the target. Both targets install these parsers:
//
// - int8 (bigint, count(*), sum of ints) -> number when it is a safe integer (|n| <= 2^53 - 1), else the decimal
//                                           string, so no value is ever silently rounded.
// - numeric (avg(), round(x, 2))         -> number (a float64: fine for analytics, may round past ~15 digits).
// - date                                 -> 'YYYY-MM-DD' string, exactly as stored (no time zone shift).
// - timestamp without time zone          -> 'YYYY-MM-DD HH:MM:SS[.ffffff]' string, exactly as stored.
// - arrays of those                      -> arrays of the same.
// Everything else keeps each driver's default, which already agrees: int2/int4/float4/float8 -> number,
// text/char -> string, text[] -> string[], json/jsonb -> parsed value, timestamptz -> Date, bool -> boolean.

export const OID = {
  int8: 20,
  int8Array: 1016,
  numeric: 1700,
  numericArray: 1231,
  date: 1082,
  dateArray: 1182,
  timestamp: 1114,
  timestampArray: 1115,
} as const;

export function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

export function parseNumeric(text: string): number {
  return Number(text);
}

function identity(text: string): string {
  return text;
}

/**
 * Parses a PostgreSQL array literal (`{1,NULL,"a \"b\""}`, nested `{{1,2},{3,4}}`, optional `[1:2]=` prefix)
 * with `parse` applied to each non-NULL element.
 */
export function parsePgArray<T>(text: string, parse: (element: string) => T): unknown[] {
  let i = text.startsWith('[') ? text.indexOf('=') + 1 : 0;
  const parseLevel = (): unknown[] => {
    i++; // the opening brace
    const out: unknown[] = [];
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      const ch = text[i];
      if (ch === '{') {
        out.push(parseLevel());
      } else if (ch === '"') {
        i++;
        let s = '';
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\') i++;
          s += text[i] ?? '';
          i++;
        }
        i++; // the closing quote
        out.push(parse(s));
      } else {
        let j = i;
        while (j < text.length && text[j] !== ',' && text[j] !== '}') j++;
        const raw = text.slice(i, j);
        i = j;
        out.push(raw === 'NULL' ? null : parse(raw));
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] !== '}') throw new Error(`malformed array literal: ${text}`);
      i++;
      return out;
    }
  };
  return parseLevel();
}

/** Text parsers by type OID, shared by both targets. */
export const RESULT_PARSERS: Record<number, (text: string) => unknown> = {
  [OID.int8]: parseInt8,
  [OID.int8Array]: (t) => parsePgArray(t, parseInt8),
  [OID.numeric]: parseNumeric,
  [OID.numericArray]: (t) => parsePgArray(t, parseNumeric),
  [OID.date]: identity,
  [OID.dateArray]: (t) => parsePgArray(t, identity),
  [OID.timestamp]: identity,
  [OID.timestampArray]: (t) => parsePgArray(t, identity),
};
