/**
 * Why this exists: one ingest run of one file, end to end — read, map and validate each record,
 * send failures to quarantine with their raw payload and reason, load the rest through the loader
 * (idempotent), and record the run with its counts in `ingest_runs`. The CLI, the demo loader at
 * start-up and the tests all come through here, so demo data takes the same path as customer data.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Db } from '../../db/client';
import type { Customer, Interaction } from '../../schemas/entities';
import type { Mapping } from '../../schemas/mapping';
import { enrichBatch, prepareEnrichers } from '../enrichment';
import { linkCustomers } from '../enrichment/identity/resolve';
import { ingestFileFast, type StepTimes } from './sql-path/index';
import { Loader } from './loader';
import { mapRecord } from '../mapping/map-record';
import { readFile } from '../sources/readers';

export interface IngestSummary {
	runId: string;
	source: string;
	file: string;
	accepted: number;
	rejected: number;
	duplicates: number;
	seconds: number;
	/** Which path ran: 'sql' (ClickHouse maps the file, ingest/fast-ingest.ts) or 'js' (record by record). */
	path: 'sql' | 'js';
	/** Why the SQL path was not taken, when it was not. */
	fallback?: string;
	/** SQL path: wall and CPU seconds of each step. */
	steps?: StepTimes;
}

export interface IngestOptions {
	db: Db;
	file: string;
	mapping: Mapping;
	batchSize?: number;
	/** 'auto' (default): the SQL path when the mapping compiles, else JS; 'js' forces the JS path. */
	path?: 'auto' | 'js';
	/** Called after each batch with bytes read so far and the file's size. */
	onProgress?: (bytes: number, total: number, summary: Omit<IngestSummary, 'seconds' | 'path'>) => void;
}

interface QuarantineRow {
	run_id: string;
	source: string;
	file: string;
	line: number;
	raw: string;
	reason: string;
}

export async function ingestFile(opts: IngestOptions): Promise<IngestSummary> {
	const { db, file, mapping } = opts;
	const batchSize = opts.batchSize ?? 50_000;
	const runId = randomUUID();
	const started = new Date();
	const total = statSync(file).size;
	const loader = new Loader(db, mapping.entity, runId);
	const summary = { runId, source: mapping.name, file: basename(file), accepted: 0, rejected: 0, duplicates: 0 };
	const run = (status: string, error = '') =>
		db.client.insert({
			table: 'ingest_runs',
			format: 'JSONEachRow',
			values: [
				{
					run_id: runId,
					source: mapping.name,
					file,
					entity: mapping.entity,
					started_at: started.getTime(),
					finished_at: Date.now(),
					status,
					accepted: summary.accepted,
					rejected: summary.rejected,
					duplicates: summary.duplicates,
					seconds: (Date.now() - started.getTime()) / 1000,
					error
				}
			]
		});
	await run('running');
	let fallback: string | undefined = opts.path === 'js' ? 'the JS path was asked for' : undefined;
	if (!fallback) {
		try {
			const fast = await ingestFileFast(db, file, mapping, runId);
			if ('fallback' in fast) fallback = fast.fallback;
			else {
				const { steps, ...counts } = fast;
				Object.assign(summary, counts);
				await run('ok');
				opts.onProgress?.(total, total, summary);
				return { ...summary, seconds: (Date.now() - started.getTime()) / 1000, path: 'sql', steps };
			}
		} catch (err) {
			await run('failed', (err as Error).message).catch(() => undefined);
			throw err;
		}
	}
	const enrichCtx = { db, source: mapping.name };
	if (mapping.entity === 'interaction') await prepareEnrichers(enrichCtx);

	let batch: unknown[] = [];
	let quarantine: QuarantineRow[] = [];
	let bytes = 0;
	// One batch is written while the next is read and mapped: the insert runs inside ClickHouse
	// (its own threads), the mapping in JS, so the two overlap on a 2-core machine.
	let inflight: Promise<void> = Promise.resolve();
	const flush = async () => {
		const records = batch;
		const rejected = quarantine;
		const at = bytes;
		batch = [];
		quarantine = [];
		await inflight;
		inflight = (async () => {
			if (records.length && mapping.entity === 'interaction') await enrichBatch(records as Interaction[], enrichCtx);
			if (records.length) {
				const { inserted, duplicates } = await loader.load(records, runId);
				summary.accepted += inserted;
				summary.duplicates += duplicates;
				// CRM customers register their email / phone / handles for identity resolution.
				if (mapping.entity === 'customer') await linkCustomers(db, records as Customer[]);
			}
			if (rejected.length) {
				await db.client.insert({ table: 'quarantine', values: rejected, format: 'JSONEachRow' });
				summary.rejected += rejected.length;
			}
			opts.onProgress?.(at, total, summary);
		})();
		// Handled here so a failure waits for the next await instead of crashing the process.
		inflight.catch(() => undefined);
	};

	try {
		for await (const item of readFile(file, mapping.format, mapping.delimiter)) {
			bytes += item.bytes;
			const result = 'error' in item ? { ok: false as const, reason: item.error } : mapRecord(mapping, item.record);
			if (result.ok) batch.push(result.value);
			else
				quarantine.push({
					run_id: runId,
					source: mapping.name,
					file,
					line: item.line,
					// A CSV record is kept as a JSON object header → value, so it can be re-processed.
					raw: mapping.format === 'csv' && 'record' in item ? JSON.stringify(item.record) : item.raw,
					reason: result.reason
				});
			if (batch.length >= batchSize || quarantine.length >= batchSize) await flush();
		}
		await flush();
		await inflight;
		await run('ok');
	} catch (err) {
		await inflight.catch(() => undefined);
		await run('failed', (err as Error).message).catch(() => undefined);
		throw err;
	} finally {
		await loader.close().catch(() => undefined);
	}
	return { ...summary, seconds: (Date.now() - started.getTime()) / 1000, path: 'js', fallback };
}
