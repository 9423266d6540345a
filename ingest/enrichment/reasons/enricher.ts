/**
 * Why this exists: the one hook through which both ingest paths (and re-scoring) give an
 * interaction its contact reason. The reason is written to `attributes.reason_id`, from which
 * `interactions.reason_id` is materialised, so the loaders' column lists stay as they are. Texts
 * with fewer than two content words go to the visible "no text" reason: one word says too little
 * to tell a reason. Before the first discovery there is no model and nothing is assigned.
 */
import type { Db } from '../../../db/client';
import type { Interaction } from '../../../schemas/entities';
import { NO_TEXT_REASON_ID, type ReasonModel } from '../../../schemas/reasons';
import type { Enricher } from '../types';
import { assignText } from './assign';
import { readReasonModel } from './store';

export const REASON_ATTRIBUTE = 'reason_id';

/** The reason id of one text (language when known). */
export function reasonOf(model: ReasonModel, text: string, language?: string): string {
	const a = assignText(model, text, language || undefined);
	return a.contentWords < 2 ? NO_TEXT_REASON_ID : a.reasonId;
}

/** Sets (or, without a model, leaves) the reason attribute of one record. */
export function assignRecordReason(
	r: Pick<Interaction, 'text' | 'language' | 'attributes'>,
	model: ReasonModel | null
) {
	if (!model) return;
	r.attributes = { ...r.attributes, [REASON_ATTRIBUTE]: reasonOf(model, r.text ?? '', r.language) };
}

/** The deployment's model for an ingest run (read once per run; null before discovery). */
export async function loadIngestReasonModel(db: Db): Promise<ReasonModel | null> {
	return (await readReasonModel(db))?.model ?? null;
}

let current: ReasonModel | null = null;

export const reasonEnricher: Enricher = {
	name: 'reason',
	async prepare(ctx) {
		current = await loadIngestReasonModel(ctx.db);
	},
	enrich(records) {
		for (const r of records) assignRecordReason(r, current);
	}
};
