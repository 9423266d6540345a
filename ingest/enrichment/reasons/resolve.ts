/**
 * Why this exists: reasons are edited after their texts are stored, so where a reason stands in for
 * a touchpoint it is resolved when a query runs, from the dictionary (`reasons`): a merged id
 * answers as the reason it was merged into, a hidden reason leaves its rows without a stage, and a
 * renamed or re-staged reason moves its rows at once. The SQL below is the one place this is
 * written; queries bind the dictionary as three arrays.
 */
import type { Db } from '../../../db/client';

/** The bound arrays: reason id → the stage and touchpoint name its rows take. */
export interface ReasonBinding {
	r_ids: string[];
	r_stages: string[];
	r_names: string[];
}

/** A row's stage: the source's or the rules', else its reason's. */
export const RESOLVED_STAGE = `if(stage = '', transform(reason_id, {r_ids:Array(String)}, {r_stages:Array(String)}, ''), stage)`;
/** A row's touchpoint: the source's or the rules', else its reason's name. */
export const RESOLVED_TOUCHPOINT = `if(touchpoint = '' AND reason_id != '', transform(reason_id, {r_ids:Array(String)}, {r_names:Array(String)}, ''), touchpoint)`;

export interface DictionaryEntry {
	id: string;
	name: string;
	stage: string;
	hidden: number;
	merged_into: string;
	kind: string;
	phrases: string[];
	examples: string[];
	size: number;
	stage_guessed: number;
}

/** The current dictionary (newest version of each id). */
export async function readDictionary(db: Pick<Db, 'client'>): Promise<DictionaryEntry[]> {
	const rs = await db.client.query({
		query: `SELECT id, argMax(name, version) AS name_, argMax(stage, version) AS stage_, argMax(hidden, version) AS hidden_,
				argMax(merged_into, version) AS merged_into_, argMax(kind, version) AS kind_,
				argMax(phrases, version) AS phrases_, argMax(examples, version) AS examples_,
				argMax(size, version) AS size_, argMax(stage_guessed, version) AS stage_guessed_
			FROM reasons GROUP BY id ORDER BY id`,
		format: 'JSONEachRow'
	});
	// Aliases end in _ so they do not shadow the columns inside the other argMax calls.
	return (await rs.json<Record<string, unknown>>()).map((r) => ({
		id: String(r.id),
		name: String(r.name_),
		stage: String(r.stage_),
		hidden: Number(r.hidden_),
		merged_into: String(r.merged_into_),
		kind: String(r.kind_),
		phrases: r.phrases_ as string[],
		examples: r.examples_ as string[],
		size: Number(r.size_),
		stage_guessed: Number(r.stage_guessed_)
	}));
}

/** The id a stored id answers as (merges followed; itself when not merged). */
export function canonicalId(byId: Map<string, DictionaryEntry>, id: string): string {
	let cur = id;
	for (let hops = 0; hops < 10; hops++) {
		const next = byId.get(cur)?.merged_into;
		if (!next) return cur;
		cur = next;
	}
	return cur;
}

/** The arrays a query binds to resolve reasons (see RESOLVED_STAGE and RESOLVED_TOUCHPOINT). */
export function reasonBinding(dictionary: DictionaryEntry[]): ReasonBinding {
	const byId = new Map(dictionary.map((d) => [d.id, d]));
	const out: ReasonBinding = { r_ids: [], r_stages: [], r_names: [] };
	for (const d of dictionary) {
		const target = byId.get(canonicalId(byId, d.id)) ?? d;
		out.r_ids.push(d.id);
		out.r_stages.push(target.hidden ? '' : target.stage);
		out.r_names.push(target.hidden ? '' : target.name);
	}
	return out;
}

/** Stored reason ids whose rows take this touchpoint name (a reason and the ids merged into it). */
export function idsNamed(dictionary: DictionaryEntry[], touchpoint: string): string[] {
	const b = reasonBinding(dictionary);
	return b.r_ids.filter((_, i) => b.r_names[i] === touchpoint);
}
