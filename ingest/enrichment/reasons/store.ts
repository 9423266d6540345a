/**
 * Why this exists: the reason model of a deployment lives in ClickHouse — the whole model as one
 * JSON document in `reason_models` (what ingest assigns with), and one dictionary row per reason in
 * `reasons` (what queries read to name reasons, put them on stages, hide and merge them). Both are
 * written together on every save, under one version, so an edit applies to the next query without
 * touching stored interactions.
 */
import type { Db } from '../../../db/client';
import { NO_TEXT_REASON_ID, type ReasonModel } from '../../../schemas/reasons';
import { loadReasonModel, saveReasonModel } from './model';

/** One deployment per database today; the key leaves room for more. */
export const DEPLOYMENT = 'default';

export interface ReasonDictionaryRow {
	id: string;
	name: string;
	stage: string;
	stage_guessed: number;
	hidden: number;
	merged_into: string;
	kind: string;
	phrases: string[];
	examples: string[];
	language: string;
	size: number;
	version: number;
}

/** The dictionary rows of a model: one per reason, and one per id merged into another. */
export function dictionaryRows(model: ReasonModel, version: number): ReasonDictionaryRow[] {
	const language = model.reasons.some((r) => /[\u4e00-\u9fff]/.test(r.phrases.join(''))) ? 'zh' : 'en';
	const rows: ReasonDictionaryRow[] = [];
	for (const r of model.reasons) {
		const base = {
			name: r.name,
			stage: r.stage,
			stage_guessed: r.stageGuessed ? 1 : 0,
			hidden: r.hidden ? 1 : 0,
			kind: r.kind,
			phrases: r.phrases,
			examples: r.examples.map((e) => e.slice(0, 500)),
			language: r.id === NO_TEXT_REASON_ID ? '' : language,
			version
		};
		rows.push({ id: r.id, merged_into: '', size: r.size, ...base });
		for (const m of r.mergedIds) rows.push({ id: m, merged_into: r.id, size: 0, ...base });
	}
	return rows;
}

/** The deployment's reason model, or null before the first discovery. */
export async function readReasonModel(db: Db): Promise<{ model: ReasonModel; version: number } | null> {
	const rs = await db.client.query({
		query: `SELECT argMax(model, version) AS model, max(version) AS v FROM reason_models
			WHERE deployment = {d:String} HAVING count() > 0`,
		query_params: { d: DEPLOYMENT },
		format: 'JSONEachRow'
	});
	const [row] = await rs.json<{ model: string; v: string | number }>();
	if (!row) return null;
	return { model: loadReasonModel(row.model), version: Number(row.v) };
}

/**
 * Stores a model as the deployment's current one, with its dictionary. Ids that were in the
 * dictionary and are no longer in the model (a merge rewrites them; a dropped reason) are written
 * as merged into "other" rows, so rows stored under them still land somewhere visible.
 */
export async function writeReasonModel(db: Db, model: ReasonModel): Promise<number> {
	const valid = loadReasonModel(model);
	const version = Date.now();
	const rows = dictionaryRows(valid, version);
	const rs = await db.client.query({
		query: 'SELECT DISTINCT id FROM reasons',
		format: 'JSONEachRow'
	});
	const known = new Set(rows.map((r) => r.id));
	const other = rows.find((r) => r.kind === 'other')!;
	for (const { id } of await rs.json<{ id: string }>())
		if (!known.has(id)) rows.push({ ...other, id, merged_into: other.id, size: 0 });
	// The dictionary first: a model without its dictionary would assign ids no query can name.
	await db.client.insert({ table: 'reasons', values: rows, format: 'JSONEachRow' });
	await db.client.insert({
		table: 'reason_models',
		values: [{ deployment: DEPLOYMENT, version, model: saveReasonModel(valid) }],
		format: 'JSONEachRow'
	});
	return version;
}
