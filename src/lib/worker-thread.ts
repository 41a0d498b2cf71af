// Starting a worker thread on a module of ours, from built code and from source alike. Built code runs the
// .js next to the caller. From source (tests, bin/dev.js) it is the .ts, which a worker thread can only load
// after registering tsx's loader in that thread (Node 20 does not pass --import on to workers), so a two-line
// bootstrap does that first. The bootstrap is fixed text of ours.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Starts the module `name` (no extension) in the directory of `callerUrl` (the caller's import.meta.url). */
export function startModuleWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), { workerData });
  const tsxRoot = dirname(createRequire(callerUrl).resolve('tsx/package.json'));
  const tsx = pathToFileURL(join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const worker = new URL(`./${name}.ts`, callerUrl).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
