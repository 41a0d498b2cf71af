// What identifies the code that is running, for caches of derived data that must not outlive the code that
// derived them: the build writes dist/build-id (a sha256 of every built file, scripts/build-id.js); from source
// (tsx, the tests) there is none, and such caches are not used.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let id: string | null | undefined;

export function buildId(): string | null {
  if (id !== undefined) return id;
  const file = fileURLToPath(new URL('../build-id', import.meta.url));
  id = existsSync(file) ? readFileSync(file, 'utf8').trim() || null : null;
  return id;
}
