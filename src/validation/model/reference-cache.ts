// The reference models of a plan (reference-models.ts) cost about a second of CPU to draw and are a pure
// function of the plan and the code, so they are kept on disk: a run of the same scenario at the same size
// (every warm `hcpgen generate`, every `plan` after it) reads ~20 KB instead of simulating 4,000 HCPs again.
//
// - Key: sha256 of the build id (src/lib/build-id.ts) and the plan's JSON minus what the reference does not read (the
//   run's seed, the fixtures, the scenario file's path). Without a build id (running from source) nothing is
//   cached: the code could change under the same key.
// - Where: the build's own entries for the shipped default run (dist/reference-cache/, written by
//   scripts/reference-cache.js, so even a first run finds it), then $HCPGEN_CACHE_DIR, else
//   $XDG_CACHE_HOME/hcpgen, else ~/.cache/hcpgen. HCPGEN_CACHE_DIR=off turns the cache off.
// - Entries are written to a temporary name and renamed (two runs may race; either copy is right), the oldest
//   beyond MAX_ENTRIES removed. An entry that cannot be read or decoded is ignored: it is drawn again.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import type { Plan } from '../../plan/types.js';
import { buildId } from '../../lib/build-id.js';
import type { FamilyReference } from './families.js';
import { makeDirs } from '../../lib/make-dirs.js';

/** Family name -> its reference (what reference-models.ts draws). */
export type ReferenceModels = Map<string, FamilyReference>;

const MAX_ENTRIES = 64;
const SUFFIX = '.reference.bin';

export interface ReferenceCache {
  /** Read in order: the build's entries, then the user's. */
  readDirs: string[];
  /** Where new entries go; null: nowhere. */
  writeDir: string | null;
  fingerprint: string;
}

/** The cache of this process, or null when there is none (from source, or HCPGEN_CACHE_DIR=off). */
export function referenceCache(
  env: NodeJS.ProcessEnv = process.env,
  fingerprint: string | null = buildId(),
): ReferenceCache | null {
  const setting = env.HCPGEN_CACHE_DIR;
  if (!fingerprint || setting === 'off') return null;
  const user =
    setting && setting !== ''
      ? path.resolve(setting)
      : path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'hcpgen');
  return { readDirs: [shippedReferenceDir(), user], writeDir: user, fingerprint };
}

/** The entry name of a plan's reference. */
export function referenceKey(plan: Plan, fingerprint: string): string {
  const { fixtures: _fixtures, ...rest } = plan;
  const keyed = {
    ...rest,
    params: { ...plan.params, seed: 0 },
    scenario: { ...plan.scenario, file: '' },
  };
  return createHash('sha256')
    .update(fingerprint)
    .update('\0')
    .update(JSON.stringify(keyed, canonical))
    .digest('hex');
}

/**
 * JSON of the plan with its Maps and typed arrays spelled out. Not v8.serialize: that tells a small integer from
 * the same value held as a double (a count computed one way or parsed another), which would miss the cache.
 */
function canonical(_key: string, value: unknown): unknown {
  if (value instanceof Map) return { map: [...value.entries()] };
  if (value instanceof Set) return { set: [...value] };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return { typed: Array.from(value as unknown as ArrayLike<number>) };
  return value;
}

export function readCachedReference(plan: Plan, cache: ReferenceCache | null): ReferenceModels | undefined {
  if (!cache) return undefined;
  const name = referenceKey(plan, cache.fingerprint) + SUFFIX;
  for (const dir of cache.readDirs) {
    try {
      const models = v8.deserialize(readFileSync(path.join(dir, name))) as unknown;
      if (models instanceof Map) return models as ReferenceModels;
    } catch {
      // Missing, unreadable or not an entry: look further, or draw it.
    }
  }
  return undefined;
}

/** Stores a plan's reference; a cache that cannot be written only costs the next run the drawing. */
export function writeCachedReference(
  plan: Plan,
  models: ReferenceModels,
  cache: ReferenceCache | null,
): void {
  if (!cache?.writeDir) return;
  try {
    writeReferenceEntry(cache.writeDir, plan, models, cache.fingerprint);
    prune(cache.writeDir);
  } catch {
    // Not writable (a read-only home, a full disk): the next run draws it again.
  }
}

/** Writes one entry into `dir` (whole or not at all). The build uses it for dist/reference-cache/. */
export function writeReferenceEntry(
  dir: string,
  plan: Plan,
  models: ReferenceModels,
  fingerprint: string,
): void {
  const file = path.join(dir, referenceKey(plan, fingerprint) + SUFFIX);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    makeDirs(dir);
    writeFileSync(tmp, v8.serialize(models));
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** The build's own entries (dist/reference-cache/). */
export function shippedReferenceDir(): string {
  return fileURLToPath(new URL('../../reference-cache/', import.meta.url));
}

function prune(dir: string): void {
  const entries = readdirSync(dir)
    .filter((n) => n.endsWith(SUFFIX))
    .map((n) => ({ file: path.join(dir, n), mtime: statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of entries.slice(MAX_ENTRIES)) rmSync(old.file, { force: true });
}
