/**
 * Why this exists: with the embedded engine only one process may own the database, so the process
 * that owns it hosts the ingest service: `npm start` when TOUCHMAP_SOURCES names a sources file, or
 * `npm run ingest:serve`. This is that process-wide service (sources + scheduler), created once;
 * the webhook route, the admin API and /metrics reach the scheduler through it.
 */
import { resolve } from 'node:path';
import type { Db } from '../../db/client';
import { loadSources, type Source } from './config';
import { Scheduler } from './scheduler';

let host: Scheduler | undefined;

/** The sources file named by TOUCHMAP_SOURCES, if any. */
export function sourcesFile(environment: NodeJS.ProcessEnv = process.env): string | undefined {
	const f = environment.TOUCHMAP_SOURCES?.trim();
	return f ? resolve(f) : undefined;
}

/** Starts the scheduler for this process (idempotent). */
export function startIngestHost(db: Db, sources?: Source[], opts: { schedule?: boolean } = {}): Scheduler {
	if (host) return host;
	const file = sourcesFile();
	const list = sources ?? (file ? loadSources(file) : []);
	host = new Scheduler(db, list);
	if (opts.schedule !== false && process.env.TOUCHMAP_INGEST_SCHEDULE !== '0') host.start();
	return host;
}

export function ingestHost(): Scheduler | undefined {
	return host;
}

export async function stopIngestHost(): Promise<void> {
	const h = host;
	host = undefined;
	await h?.stop();
}
