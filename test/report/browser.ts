// Headless Chromium for the report tests: Debian's /usr/bin/chromium (CHROMIUM_PATH overrides) driven by
// playwright-core. On a developer machine without it the browser tests skip, saying why; in CI (CI set) a
// missing browser fails them, so the check cannot silently disappear.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Why the browser tests cannot run here, or null when they can (or must: CI). */
export function browserMissing(): string | null {
  if (existsSync(CHROMIUM) || process.env.CI) return null;
  return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH); CI is not set, so the browser tests skip`;
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
