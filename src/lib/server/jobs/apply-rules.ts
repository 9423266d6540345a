/**
 * Why this exists: applying edited journey rules and custom intents to stored interactions rewrites
 * every month they change (the re-scoring of `npm run enrich`), which takes minutes on a large
 * deployment — longer than a request should wait. The rules page starts it as a background job and
 * polls its status. One job runs at a time per server; with the ingest service in this process no
 * source runs while stored months are rewritten.
 */
import { openDb } from '$db/open';
import { ingestHost, rescore } from '$ingest';
import { forgetKept } from '../kept';
import { newEpoch } from '../trpc/answer-cache';

export interface ApplyStatus {
	state: 'idle' | 'running' | 'done' | 'failed';
	/** Rows read so far of `total` (rows with a text or that a rule may place). */
	scanned: number;
	total: number;
	/** Rows whose stage, touchpoint, intent, scenario or reason changed. */
	changed: number;
	/** Months rewritten (known when done). */
	months: number;
	startedAt: string | null;
	finishedAt: string | null;
	error: string | null;
}

const IDLE: ApplyStatus = {
	state: 'idle',
	scanned: 0,
	total: 0,
	changed: 0,
	months: 0,
	startedAt: null,
	finishedAt: null,
	error: null
};
// One per server process: requests may each hold their own handle on the one database.
let current: ApplyStatus = IDLE;

export function applyStatus(): ApplyStatus {
	return { ...current };
}

/**
 * Starts applying the rules and intents in force to every stored row; false when one is running.
 * It runs on the process's own database handle: a request's handle has the request's time budget.
 */
export async function startApply(): Promise<boolean> {
	if (current.state === 'running') return false;
	const status: ApplyStatus = { ...IDLE, state: 'running', startedAt: new Date().toISOString() };
	current = status;
	let db;
	try {
		db = await openDb();
	} catch (err) {
		Object.assign(status, { state: 'failed', error: (err as Error).message, finishedAt: new Date().toISOString() });
		return true;
	}
	const job = () =>
		rescore(db, {
			since: new Date(0),
			progress: (p) => Object.assign(status, p)
		});
	const host = ingestHost();
	(host ? host.exclusive(job) : job())
		.then(
			(s) => {
				Object.assign(status, { state: 'done', changed: s.changed, months: s.months, scanned: s.scanned });
				status.total = Math.max(status.total, s.scanned);
			},
			(err: unknown) => {
				status.state = 'failed';
				status.error = err instanceof Error ? err.message.replace(/^enrich: /, '') : String(err);
			}
		)
		.finally(() => {
			status.finishedAt = new Date().toISOString();
			// Rows were rewritten in place: the row counts that key kept answers did not change.
			forgetKept(db.client);
			newEpoch();
		});
	return true;
}
