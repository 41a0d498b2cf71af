// The flags every data command shares (generate, validate, bench), with their limits. Values are checked
// here, before anything touches a database, and a bad one gets a message that says what is allowed.
import { Flags } from '@oclif/core';
import { UserError } from '../lib/errors.js';
import { isValidDate } from '../time/calendar.js';
import {
  DEFAULT_AS_OF,
  DEFAULT_HCPS,
  DEFAULT_MONTHS,
  DEFAULT_SEED,
  MAX_HCPS,
  MAX_MONTHS,
} from '../plan/limits.js';

function wholeNumber(flag: string, min: number, max: number, what: string) {
  return async (input: string): Promise<number> => {
    const text = input.trim().replaceAll('_', '');
    if (!/^-?\d+$/.test(text)) {
      throw new UserError(`--${flag} must be a whole number (${what}), got "${input}".`, {
        hint: `Try --${flag}=${min === 0 ? 42 : Math.max(min, 1)}.`,
      });
    }
    const n = Number(text);
    if (n < min || n > max || !Number.isSafeInteger(n)) {
      throw new UserError(
        `--${flag}=${input} is out of range: it must be between ${min.toLocaleString('en-US')} and ` +
          `${max.toLocaleString('en-US')} (${what}).`,
      );
    }
    return n;
  };
}

async function asOfDate(input: string): Promise<string> {
  const text = input.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !isValidDate(text)) {
    throw new UserError(`--as-of must be a real calendar date written YYYY-MM-DD, got "${input}".`, {
      hint: `For example --as-of=${DEFAULT_AS_OF}.`,
    });
  }
  const year = Number(text.slice(0, 4));
  if (year < 1900 || year > 2200) {
    throw new UserError(`--as-of=${text} is outside the supported years 1900 to 2200.`);
  }
  return text;
}

export const scenarioFlag = Flags.string({
  description: 'Scenario: a name under scenarios/ (e.g. default, oncology-launch) or a path to a YAML file.',
  default: 'default',
});

export const dbFlag = Flags.string({
  description:
    'PostgreSQL URL (postgres://user@host:5432/db). Default: $DATABASE_URL, else the embedded database.',
  env: 'DATABASE_URL',
});

export const runFlags = {
  scenario: scenarioFlag,
  seed: Flags.custom<number>({
    description: 'Random seed: the same seed and flags give identical data.',
    default: DEFAULT_SEED,
    parse: wholeNumber('seed', 0, Number.MAX_SAFE_INTEGER, 'any whole number from 0 up'),
  })(),
  hcps: Flags.custom<number>({
    description: `Number of generated HCP profiles (1 to ${MAX_HCPS.toLocaleString('en-US')}). Default: the scenario's defaults.hcps, else ${DEFAULT_HCPS}.`,
    parse: wholeNumber('hcps', 1, MAX_HCPS, 'the number of HCP profiles to generate'),
  })(),
  months: Flags.custom<number>({
    description: `History window in months, ending at --as-of (1 to ${MAX_MONTHS}). Default: the scenario's defaults.months, else ${DEFAULT_MONTHS}.`,
    parse: wholeNumber('months', 1, MAX_MONTHS, 'the length of the history window'),
  })(),
  'as-of': Flags.custom<string>({
    description: 'The last day of the window, YYYY-MM-DD. Same as-of, same data.',
    default: DEFAULT_AS_OF,
    parse: asOfDate,
  })(),
};
