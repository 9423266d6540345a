/**
 * Why this exists: the text pool (ingest) and the forecast worker (app) each run their own module
 * in a worker thread (import.meta.url), so the same code serves from the TypeScript sources under
 * tsx and from the server build, where it sits in a bundled chunk. One way to start such a worker,
 * in the lowest layer both may import.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';

// A worker starts here and imports the module. Worker threads do not inherit tsx's loader, so
// under tsx (entry is a .ts file) the worker registers it first; the built server needs none.
const BOOT = `const { workerData, parentPort } = require('node:worker_threads');
(async () => {
	if (workerData.entry.endsWith('.ts')) (await import('tsx/esm/api')).register();
	await import(workerData.entry);
})().catch((err) => parentPort.postMessage({ error: String((err && err.stack) || err) }));`;

/**
 * A worker thread running the module at `data.entry` (its import.meta.url), which tells from
 * `data` (its workerData) that it is to serve. A start failure arrives as a `{ error }` message.
 */
export function moduleWorker<D extends { entry: string }>(data: D, resourceLimits?: ResourceLimits): Worker {
	return new Worker(BOOT, { eval: true, workerData: data, ...(resourceLimits ? { resourceLimits } : {}) });
}
