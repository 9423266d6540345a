/**
 * Why this exists: discovery on a deployment's stored texts — by `npm run reasons:discover`, by the
 * ingest service on its schedule and by an admin on demand. It reads a fixed-seed sample of stored
 * texts, discovers reasons (or re-discovers them against the current model, so ids, names, stages
 * and hidden flags a user set are kept), stores the model with its dictionary, and then assigns
 * every stored interaction again through the re-scoring path (months rewritten whole, roll-ups
 * rebuilt). Until the new model is stored the previous one stays in force; an assignment pass cut
 * short is finished by the next run of `npm run enrich` or of discovery.
 */
import type { Db } from '../../../db/client';
import type { ReasonChanges, ReasonModel } from '../../../schemas/reasons';
import { rescore, type RescoreSummary } from '../text/rescore';
import { discoverReasons, type DiscoverOptions } from './discover';
import { rediscover } from './rediscover';
import { readReasonModel, writeReasonModel } from './store';

export interface DiscoverStoredSummary {
	texts: number;
	reasons: number;
	/** What changed against the previous model (absent on a first discovery). */
	changes: ReasonChanges | null;
	assigned: RescoreSummary;
	seconds: number;
}

/** Texts read for discovery: enough to show every reason common enough to matter. */
const SAMPLE = 30_000;

export async function discoverStored(
	db: Db,
	opts: { log?: (line: string) => void; fresh?: boolean; options?: DiscoverOptions } = {}
): Promise<DiscoverStoredSummary> {
	const log = opts.log ?? (() => undefined);
	const started = Date.now();
	// A deterministic sample (by a hash of the id), so the same data gives the same reasons.
	const rs = await db.client.query({
		query: `SELECT text, language, intent FROM interactions WHERE text != ''
			ORDER BY cityHash64(interaction_id) LIMIT {n:UInt32}`,
		query_params: { n: SAMPLE },
		format: 'JSONEachRow'
	});
	const rows = await rs.json<{ text: string; language: string; intent: string }>();
	if (rows.length < 20) throw new Error(`reasons: only ${rows.length} stored texts; discovery needs at least 20`);
	const texts = rows.map((r) => r.text);
	const options: DiscoverOptions = {
		...opts.options,
		languages: rows.map((r) => r.language || undefined),
		intents: rows.map((r) => r.intent || undefined)
	};
	const previous = opts.fresh ? null : await readReasonModel(db);
	let model: ReasonModel;
	let changes: ReasonChanges | null = null;
	if (previous) {
		({ model, changes } = rediscover(previous.model, texts, options));
	} else model = discoverReasons(texts, options);
	const reasons = model.reasons.filter((r) => r.kind === 'reason').length;
	log(`reasons: ${reasons} reasons discovered from ${texts.length} texts`);
	await writeReasonModel(db, model);
	const assigned = await rescore(db, { since: new Date(0), log, reasons: model });
	return { texts: texts.length, reasons, changes, assigned, seconds: (Date.now() - started) / 1000 };
}
