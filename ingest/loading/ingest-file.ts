/**
 * Why this exists: one ingest run of one file, end to end — the SQL path when it can take the file,
 * else the JS path — recorded with its counts in `ingest_runs`. Either way every record is stored
 * once or quarantined with its raw payload and reason. The CLI, the demo loader at start-up and
 * the tests all come through here, so demo data takes the same path as customer data.
 *
 * Before a row is read, the mapping is checked against the file (check-mapping.ts): a column it
 * names that the file lacks refuses the run with the nearest column's name. Runs an earlier
 * process left 'running' are closed first (crashed-runs.ts). The summary names what the run
 * refused most, and `ingest_runs` keeps it.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Db } from '../../db/client';
import type { Mapping } from '../../schemas/mapping';
import { checkMappingFor } from '../mapping/check-mapping';
import { fileColumns } from '../sources/readers';
import { closeCrashedRuns, repairKeys } from './crashed-runs';
import { runJsPath } from './js-path';
import { ReasonTally, type ReasonCount } from './quarantine';
import { runSqlPath, type StepTimes } from './sql-path/run';

export interface IngestSummary {
	runId: string;
	source: string;
	file: string;
	accepted: number;
	rejected: number;
	duplicates: number;
	seconds: number;
	/** Which path ran: 'sql' (ClickHouse maps the file, sql-path/) or 'js' (record by record, js-path.ts). */
	path: 'sql' | 'js';
	/** Why the SQL path was not taken, when it was not. */
	fallback?: string;
	/** SQL path: wall and CPU seconds of each step. */
	steps?: StepTimes;
	/** What the run refused most: each kind of reason, how many, and its most frequent wording. */
	topReasons: ReasonCount[];
	/** NDJSON: mapped fields none of the file's first records has (loaded anyway; an API omits empty fields). */
	warnings: string[];
}

export interface IngestOptions {
	db: Db;
	file: string;
	mapping: Mapping;
	batchSize?: number;
	/** 'auto' (default): the SQL path when the mapping compiles, else JS; 'js' forces the JS path. */
	path?: 'auto' | 'js';
	/** Called after each batch with bytes read so far and the file's size. */
	onProgress?: (
		bytes: number,
		total: number,
		summary: Omit<IngestSummary, 'seconds' | 'path' | 'topReasons' | 'warnings'>
	) => void;
}

export async function ingestFile(opts: IngestOptions): Promise<IngestSummary> {
	const { db, file, mapping } = opts;
	const batchSize = opts.batchSize ?? 50_000;
	const runId = randomUUID();
	const started = new Date();
	const total = statSync(file).size;
	const warnings = checkMappingFor(mapping, {
		file: basename(file),
		format: mapping.format,
		...(await fileColumns(file, mapping.format, mapping.delimiter))
	});
	await closeCrashedRuns(db, mapping.name, file);
	const summary = { runId, source: mapping.name, file: basename(file), accepted: 0, rejected: 0, duplicates: 0 };
	const reasons = new ReasonTally();
	let topReasons: ReasonCount[] = [];
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
					error,
					top_reasons: topReasons.length ? JSON.stringify(topReasons) : ''
				}
			]
		});
	/** Records a failed run; an insert that failed half-way may have left rows without their keys. */
	const failed = async (err: unknown) => {
		await run('failed', (err as Error).message).catch(() => undefined);
		if (mapping.entity === 'interaction') await repairKeys(db, [runId]).catch(() => undefined);
	};
	await run('running');
	let fallback: string | undefined = opts.path === 'js' ? 'the JS path was asked for' : undefined;
	if (!fallback) {
		try {
			const sql = await runSqlPath(db, file, mapping, runId);
			if ('fallback' in sql) fallback = sql.fallback;
			else {
				const { steps, topReasons: top, ...counts } = sql;
				Object.assign(summary, counts);
				topReasons = top;
				await run('ok');
				opts.onProgress?.(total, total, summary);
				const seconds = (Date.now() - started.getTime()) / 1000;
				return { ...summary, seconds, path: 'sql', steps, topReasons, warnings };
			}
		} catch (err) {
			await failed(err);
			throw err;
		}
	}
	try {
		await runJsPath({ db, file, mapping, runId, batchSize, total, summary, reasons, onProgress: opts.onProgress });
		topReasons = reasons.top();
		await run('ok');
	} catch (err) {
		topReasons = reasons.top();
		await failed(err);
		throw err;
	}
	const seconds = (Date.now() - started.getTime()) / 1000;
	return { ...summary, seconds, path: 'js', fallback, topReasons, warnings };
}
