/**
 * Why this exists: the service's durable memory — per source, the cursor (`ingest_state`) and the
 * status shown on /admin/sources (`source_status`: paused, failures, last run, last error, counts).
 * Both are ReplacingMergeTree tables written by appending a new version; reads take the newest.
 */
import type { Db } from '../../db/client';

export interface SourceStatus {
	source: string;
	kind: string;
	state: 'idle' | 'running' | 'ok' | 'failed' | 'paused';
	paused: boolean;
	failures: number;
	last_run_at: string | null;
	last_ok_at: string | null;
	last_error: string;
	records_total: number;
	rejected_total: number;
	errors_total: number;
	newest_record: string | null;
}

export function emptyStatus(source: string, kind: string): SourceStatus {
	return {
		source,
		kind,
		state: 'idle',
		paused: false,
		failures: 0,
		last_run_at: null,
		last_ok_at: null,
		last_error: '',
		records_total: 0,
		rejected_total: 0,
		errors_total: 0,
		newest_record: null
	};
}

export async function readCursorOf(db: Db, source: string): Promise<string | undefined> {
	const rs = await db.client.query({
		query: 'SELECT argMax(cursor, updated_at) AS cursor, count() AS n FROM ingest_state WHERE source = {source:String}',
		query_params: { source },
		format: 'JSONEachRow'
	});
	const [row] = await rs.json<{ cursor: string; n: string | number }>();
	return row && Number(row.n) > 0 ? row.cursor : undefined;
}

let lastWrite = 0;
/** Versions must strictly increase even when two writes fall in the same millisecond. */
const version = () => (lastWrite = Math.max(Date.now(), lastWrite + 1));

export async function writeCursor(db: Db, source: string, cursor: string): Promise<void> {
	await db.client.insert({
		table: 'ingest_state',
		values: [{ source, cursor, updated_at: version() }],
		format: 'JSONEachRow'
	});
}

/** Forgets a source's cursor: its next run starts from the beginning (duplicates are skipped). */
export async function resetCursor(db: Db, source: string): Promise<void> {
	await writeCursor(db, source, '');
}

const ts = (v: string | null) => (v === null ? null : v.replace(' ', 'T') + 'Z');

export async function readStatuses(db: Db): Promise<Map<string, SourceStatus>> {
	const rs = await db.client.query({
		query: `SELECT source, argMax(tuple(kind, state, paused, failures, last_run_at, last_ok_at, last_error,
			records_total, rejected_total, errors_total, newest_record), updated_at) AS t
			FROM source_status GROUP BY source`,
		format: 'JSONEachRow'
	});
	const out = new Map<string, SourceStatus>();
	for (const r of await rs.json<{ source: string; t: unknown[] }>()) {
		const [kind, state, paused, failures, lastRun, lastOk, error, records, rejected, errors, newest] = r.t as [
			string,
			SourceStatus['state'],
			number,
			number,
			string | null,
			string | null,
			string,
			string | number,
			string | number,
			string | number,
			string | null
		];
		out.set(r.source, {
			source: r.source,
			kind,
			state,
			paused: Number(paused) === 1,
			failures: Number(failures),
			last_run_at: ts(lastRun),
			last_ok_at: ts(lastOk),
			last_error: error,
			records_total: Number(records),
			rejected_total: Number(rejected),
			errors_total: Number(errors),
			newest_record: ts(newest)
		});
	}
	return out;
}

export async function readStatus(db: Db, source: string, kind = ''): Promise<SourceStatus> {
	return (await readStatuses(db)).get(source) ?? emptyStatus(source, kind);
}

export async function writeStatus(db: Db, s: SourceStatus): Promise<void> {
	const updated = version();
	const ms = (v: string | null) => (v === null ? null : Date.parse(v));
	await db.client.insert({
		table: 'source_status',
		values: [
			{
				...s,
				paused: s.paused ? 1 : 0,
				last_run_at: ms(s.last_run_at),
				last_ok_at: ms(s.last_ok_at),
				newest_record: ms(s.newest_record),
				updated_at: updated
			}
		],
		format: 'JSONEachRow'
	});
}
