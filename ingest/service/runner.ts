/**
 * Why this exists: one run of one source, with the no-loss / no-duplicate guarantee. For each page
 * a connector yields: map and validate every record (failures → quarantine with the raw payload and
 * reason), enrich, load through the idempotent loader, and only then commit the page's cursor.
 * A crash anywhere re-reads at most the last page on restart, and the loader skips what is stored,
 * so every record of the source ends up stored exactly once.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import type { Interaction } from '../../schemas/entities';
import type { Mapping } from '../../schemas/mapping';
import { connectorFor } from '../sources/connectors';
import { HttpError } from '../sources/connectors/http';
import type { RejectedItem } from '../sources/connectors/types';
import { enrichBatch, prepareEnrichers } from '../enrichment';
import { linkCustomers } from '../enrichment/identity/resolve';
import { Loader } from '../loading/loader';
import { storeQuarantine, type QuarantineRow } from '../loading/quarantine';
import { mapRecord } from '../mapping/map-record';
import { httpOptions, type Source } from './config';
import { readCursorOf, readStatus, writeCursor, writeStatus } from './state';

export interface RunSummary {
	runId: string;
	source: string;
	pages: number;
	accepted: number;
	rejected: number;
	duplicates: number;
	seconds: number;
	/** Newest record time seen in this run (ISO), for lag. */
	newest: string | null;
}

/** Maps records; returns canonical ones and quarantine rows for the rest. */
export function mapPage(
	mapping: Mapping,
	records: Record<string, unknown>[],
	rejected: RejectedItem[],
	runId: string,
	label: string
): { ok: unknown[]; bad: QuarantineRow[] } {
	const ok: unknown[] = [];
	const bad: QuarantineRow[] = rejected.map((r) => ({
		run_id: runId,
		source: mapping.name,
		file: label,
		line: r.line,
		raw: r.raw,
		reason: r.reason
	}));
	records.forEach((raw, i) => {
		const line = typeof raw._line === 'number' ? raw._line : i + 1;
		const r = mapRecord(mapping, raw, line);
		if (r.ok) ok.push(r.value);
		else
			bad.push({
				run_id: runId,
				source: mapping.name,
				file: label,
				line,
				raw: JSON.stringify(raw),
				reason: r.reason
			});
	});
	return { ok, bad };
}

/** Loads mapped records (enriched first); returns inserted / duplicate counts. */
export async function loadRecords(
	db: Db,
	mapping: Mapping,
	loader: Loader,
	records: unknown[],
	runId: string
): Promise<{ inserted: number; duplicates: number }> {
	if (!records.length) return { inserted: 0, duplicates: 0 };
	if (mapping.entity === 'interaction') await enrichBatch(records as Interaction[], { db, source: mapping.name });
	const r = await loader.load(records, runId);
	if (mapping.entity === 'customer') await linkCustomers(db, records as never[]);
	return r;
}

/** Closes crashed runs (after the page they interrupted has been re-read and repaired). */
async function markAborted(db: Db, runIds: string[]): Promise<void> {
	await db.client.command({
		query: `INSERT INTO ingest_runs (run_id, source, file, entity, started_at, finished_at, status, accepted, rejected,
				duplicates, seconds, error)
			SELECT run_id, source, file, entity, started_at, now64(3), 'aborted', accepted, rejected, duplicates, seconds,
				'process ended during the run' FROM ingest_runs FINAL WHERE run_id IN {ids:Array(String)}`,
		query_params: { ids: runIds }
	});
}

export interface RunOptions {
	/** Called after each page is durable (tests, progress). */
	onPage?: (summary: RunSummary) => void;
}

export async function runSource(db: Db, src: Source, opts: RunOptions = {}): Promise<RunSummary> {
	const connector = connectorFor(src.kind);
	if (!connector) throw new Error(`Source ${src.name}: kind ${src.kind} is pushed, not pulled`);
	const mapping = src.mappingSpec;
	const runId = randomUUID();
	const started = Date.now();
	const summary: RunSummary = {
		runId,
		source: src.name,
		pages: 0,
		accepted: 0,
		rejected: 0,
		duplicates: 0,
		seconds: 0,
		newest: null
	};
	const status = await readStatus(db, src.name, src.kind);
	status.kind = src.kind;
	status.state = 'running';
	status.last_run_at = new Date(started).toISOString();
	await writeStatus(db, status);
	const run = (state: string, error = '') =>
		db.client.insert({
			table: 'ingest_runs',
			format: 'JSONEachRow',
			values: [
				{
					run_id: runId,
					source: src.name,
					file: src.kind,
					entity: mapping.entity,
					started_at: started,
					finished_at: Date.now(),
					status: state,
					accepted: summary.accepted,
					rejected: summary.rejected,
					duplicates: summary.duplicates,
					seconds: (Date.now() - started) / 1000,
					error
				}
			]
		});
	// Runs of this source that never finished crashed: the page in flight then may be half-stored.
	const crashed = await (
		await db.client.query({
			query: `SELECT run_id FROM ingest_runs FINAL WHERE source = {source:String} AND status = 'running'`,
			query_params: { source: src.name },
			format: 'JSONEachRow'
		})
	).json<{ run_id: string }>();
	await run('running');
	const loader = new Loader(db, mapping.entity, runId);
	loader.repairNext = crashed.length > 0;
	let label = '';
	try {
		if (mapping.entity === 'interaction') await prepareEnrichers({ db, source: mapping.name });
		const cursor = await readCursorOf(db, src.name);
		const ctx = { options: src.parsedOptions, http: httpOptions(src) };
		for await (const page of connector.pull(cursor || undefined, ctx)) {
			label = page.label;
			const { ok, bad } = mapPage(mapping, page.records, page.rejected ?? [], runId, page.label);
			// Order matters: records and quarantine first, the cursor last (only once both are durable).
			const { inserted, duplicates } = await loadRecords(db, mapping, loader, ok, runId);
			await storeQuarantine(db, bad);
			await writeCursor(db, src.name, page.cursor);
			if (crashed.length && summary.pages === 0)
				await markAborted(
					db,
					crashed.map((c) => c.run_id)
				);
			summary.pages++;
			summary.accepted += inserted;
			summary.duplicates += duplicates;
			summary.rejected += bad.length;
			for (const r of ok as { ts?: string }[])
				if (r.ts && (!summary.newest || r.ts > summary.newest)) summary.newest = r.ts;
			opts.onPage?.({ ...summary, seconds: (Date.now() - started) / 1000 });
		}
		summary.seconds = (Date.now() - started) / 1000;
		await run('ok');
		Object.assign(status, {
			state: status.paused ? 'paused' : 'ok',
			failures: 0,
			last_ok_at: new Date().toISOString(),
			last_error: '',
			records_total: status.records_total + summary.accepted,
			rejected_total: status.rejected_total + summary.rejected,
			newest_record:
				summary.newest && (!status.newest_record || summary.newest > status.newest_record)
					? summary.newest
					: status.newest_record
		});
		await writeStatus(db, status);
		return summary;
	} catch (err) {
		// A page that never became valid JSON is kept, raw, for a person to look at.
		if (err instanceof HttpError && err.status === -1 && err.body)
			await storeQuarantine(db, [
				{
					run_id: runId,
					source: src.name,
					file: err.url || label || 'page',
					line: 0,
					raw: err.body,
					reason: err.message
				}
			]).catch(() => undefined);
		const message = (err as Error).message;
		await run('failed', message).catch(() => undefined);
		Object.assign(status, {
			state: 'failed',
			failures: status.failures + 1,
			last_error: message,
			errors_total: status.errors_total + 1,
			records_total: status.records_total + summary.accepted,
			rejected_total: status.rejected_total + summary.rejected
		});
		if (status.failures >= src.maxFailures) {
			status.paused = true;
			status.state = 'paused';
		}
		await writeStatus(db, status).catch(() => undefined);
		throw err;
	} finally {
		await loader.close().catch(() => undefined);
	}
}
