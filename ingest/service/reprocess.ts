/**
 * Why this exists: "re-process after fixing the mapping". Quarantined records of a source are
 * mapped again with its mapping file as it is now on disk; those that pass are loaded (the loader
 * skips any already stored) and then removed from quarantine, those that still fail stay there
 * with their new reason. Pulled/pushed records are stored raw as JSON, and so are CSV records (a JSON
 * object header → value, by both ingest paths); a ragged CSV line or an unparseable page cannot be
 * re-mapped and is left as it is.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import { mutationTarget } from '../../db/cluster';
import type { Mapping } from '../../schemas/mapping';
import { Loader } from '../loading/loader';
import { mapRecord } from '../mapping/map-record';
import { loadRecords } from './runner';
import { readStatus, writeStatus } from './state';

export interface ReprocessResult {
	examined: number;
	loaded: number;
	stillFailing: number;
	notJson: number;
}

export async function reprocessQuarantine(db: Db, mapping: Mapping, limit = 50_000): Promise<ReprocessResult> {
	const rs = await db.client.query({
		query: `SELECT file, line, raw, reason FROM quarantine WHERE source = {source:String} ORDER BY at LIMIT {limit:UInt32}`,
		query_params: { source: mapping.name, limit },
		format: 'JSONEachRow'
	});
	const rows = await rs.json<{ file: string; line: string | number; raw: string; reason: string }>();
	const result: ReprocessResult = { examined: rows.length, loaded: 0, stillFailing: 0, notJson: 0 };
	const ok: unknown[] = [];
	const fixed: [string, number][] = [];
	const changed: { file: string; line: number; reason: string }[] = [];
	for (const r of rows) {
		let raw: unknown;
		try {
			// A plain-text line (format lines) is its record's one field.
			raw = mapping.format === 'lines' ? { line: r.raw } : JSON.parse(r.raw);
		} catch {
			result.notJson++;
			continue;
		}
		if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
			result.notJson++;
			continue;
		}
		const m = mapRecord(mapping, raw as Record<string, unknown>, Number(r.line));
		if (m.ok) {
			ok.push(m.value);
			fixed.push([r.file, Number(r.line)]);
		} else {
			result.stillFailing++;
			if (m.reason !== r.reason) changed.push({ file: r.file, line: Number(r.line), reason: m.reason });
		}
	}
	if (ok.length) {
		const runId = randomUUID();
		const loader = new Loader(db, mapping.entity, runId);
		try {
			await loadRecords(db, mapping, loader, ok, runId);
		} finally {
			await loader.close().catch(() => undefined);
		}
		result.loaded = ok.length;
		const status = await readStatus(db, mapping.name);
		await writeStatus(db, { ...status, records_total: status.records_total + ok.length });
		// Removed only after the load is durable: a crash in between leaves them quarantined, and a
		// second re-process finds them already stored.
		for (let i = 0; i < fixed.length; i += 1000)
			await db.client.command({
				query: `DELETE FROM ${mutationTarget(db, 'quarantine')} WHERE source = {source:String}
					AND has(arrayZip({files:Array(String)}, {lines:Array(UInt64)}), (file, line))`,
				query_params: {
					source: mapping.name,
					files: fixed.slice(i, i + 1000).map((k) => k[0]),
					lines: fixed.slice(i, i + 1000).map((k) => k[1])
				}
			});
	}
	for (const c of changed)
		await db.client.command({
			query: `ALTER TABLE ${mutationTarget(db, 'quarantine')} UPDATE reason = {reason:String} WHERE source = {source:String} AND file = {file:String} AND line = {line:UInt64}`,
			query_params: { source: mapping.name, ...c }
		});
	return result;
}
