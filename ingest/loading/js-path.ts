/**
 * Why this exists: the JS path — read each record of the file, map and validate it in JS, enrich
 * the valid ones and load them through the idempotent loader in batches, with refusals going to
 * quarantine beside their raw payload. It runs where the SQL path cannot (a ClickHouse server, a
 * mapping the compiler declines) and is what the SQL path is checked against.
 */
import type { Db } from '../../db/client';
import type { Customer, Interaction } from '../../schemas/entities';
import type { Mapping } from '../../schemas/mapping';
import { enrichBatch, prepareEnrichers } from '../enrichment';
import { linkCustomers } from '../enrichment/identity/resolve';
import { mapRecord } from '../mapping/map-record';
import { readFile } from '../sources/readers';
import { Loader } from './loader';
import { storeQuarantine, type QuarantineRow, type ReasonTally } from './quarantine';

/** What the JS path counts as it goes (the caller's summary, updated in place). */
export interface JsPathCounts {
	accepted: number;
	rejected: number;
	duplicates: number;
}

export interface JsPathOptions<S extends JsPathCounts> {
	db: Db;
	file: string;
	mapping: Mapping;
	runId: string;
	batchSize: number;
	/** The file's size in bytes. */
	total: number;
	summary: S;
	/** Counts what was refused, by reason. */
	reasons: ReasonTally;
	/** Called after each batch with bytes read so far and the file's size. */
	onProgress?: (bytes: number, total: number, summary: S) => void;
}

export async function runJsPath<S extends JsPathCounts>(opts: JsPathOptions<S>): Promise<void> {
	const { db, file, mapping, runId, batchSize, total, summary } = opts;
	const loader = new Loader(db, mapping.entity, runId);
	// What has been stored so far, to stderr (TOUCHMAP_INGEST_TRACE=1, as the SQL path's steps).
	const trace = process.env.TOUCHMAP_INGEST_TRACE === '1';
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
				await storeQuarantine(db, rejected);
				summary.rejected += rejected.length;
			}
			opts.onProgress?.(at, total, summary);
			if (trace) process.stderr.write(`js path: stored up to byte ${at} of ${total}\n`);
		})();
		// Handled here so a failure waits for the next await instead of crashing the process.
		inflight.catch(() => undefined);
	};

	try {
		for await (const item of readFile(file, mapping.format, mapping.delimiter)) {
			bytes += item.bytes;
			const result =
				'error' in item ? { ok: false as const, reason: item.error } : mapRecord(mapping, item.record, item.line);
			if (result.ok) batch.push(result.value);
			else {
				opts.reasons.add(result.reason);
				quarantine.push({
					run_id: runId,
					source: mapping.name,
					file,
					line: item.line,
					// A CSV record is kept as a JSON object header → value, so it can be re-processed.
					raw: mapping.format === 'csv' && 'record' in item ? JSON.stringify(item.record) : item.raw,
					reason: result.reason
				});
			}
			if (batch.length >= batchSize || quarantine.length >= batchSize) await flush();
		}
		await flush();
		await inflight;
	} catch (err) {
		await inflight.catch(() => undefined);
		throw err;
	} finally {
		await loader.close().catch(() => undefined);
	}
}
