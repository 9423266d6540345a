/**
 * Why this exists: a deployment's contact reasons, discovered from its own texts, travel as one
 * plain JSON document — stored in ClickHouse, edited through the API, shown by the /reasons page
 * and loaded by ingest to assign new texts. This is its shape; `loadReasonModel` in ingest checks
 * every stored model against it before use.
 */
import { z } from 'zod';
import { StageSchema, type Scenario, type Stage } from './entities';

/** Reserved reason ids: texts with no content words, and texts far from every reason. */
export const NO_TEXT_REASON_ID = 'no-text';
export const OTHER_REASON_ID = 'other';
export const REASON_MODEL_VERSION = 1;

/**
 * The scenario of a contact that has no scenario of its own, from its reason's stage: the same
 * split the fixed intents make (ordering and renewing are transactions, delivery and support are
 * after-sales, asking before buying is an inquiry).
 */
export const STAGE_SCENARIO: Record<Stage, Scenario> = {
	awareness: 'inquiry',
	consideration: 'inquiry',
	purchase: 'transaction',
	delivery: 'after_sales',
	after_sales: 'after_sales',
	loyalty: 'transaction'
};

export const ReasonKindSchema = z
	.enum(['reason', 'no_text', 'other'])
	.meta({ description: 'A discovered reason, or one of the two reserved buckets.' });

export const SparseWeightsSchema = z
	.object({
		terms: z.array(z.number().int().nonnegative()).meta({ description: 'Indices into the model vocabulary.' }),
		weights: z.array(z.number()).meta({ description: 'Weight of each term, same order.' })
	})
	.refine((c) => c.terms.length === c.weights.length, 'terms and weights differ in length')
	.meta({ description: 'A sparse vector over the vocabulary.' });

export const ReasonSchema = z
	.object({
		id: z
			.string()
			.regex(/^[a-z0-9][a-z0-9-]{0,63}$/)
			.meta({ description: 'Stable id, kept across re-discovery.' }),
		kind: ReasonKindSchema,
		name: z.string().min(1).max(200).meta({ description: 'Shown name: telling phrases, or what a user typed.' }),
		userNamed: z.boolean().meta({ description: 'The name was given by a user; re-discovery keeps it.' }),
		hidden: z.boolean().meta({ description: 'Hidden from the journey map by a user (still assigned).' }),
		stage: StageSchema,
		stageGuessed: z.boolean().meta({ description: 'The stage is the lexicon guess, not a user choice.' }),
		phrases: z.array(z.string()).meta({ description: 'Most telling phrases, best first.' }),
		examples: z.array(z.string()).meta({ description: 'Verbatims nearest the reason centre.' }),
		size: z.number().int().nonnegative().meta({ description: 'Texts assigned at the last (re-)discovery.' }),
		centroids: z
			.array(SparseWeightsSchema)
			.meta({ description: 'Centres over the vocabulary; a merged reason keeps one per part.' }),
		mergedIds: z
			.array(z.string())
			.meta({ description: 'Ids merged into this reason (old assignments under them belong here).' })
	})
	.meta({ description: 'One contact reason.' });
export type Reason = z.infer<typeof ReasonSchema>;

export const ReasonSettingsSchema = z
	.object({
		bigrams: z.boolean(),
		maxChars: z.number().int().positive().meta({ description: 'Characters read from the start of each text.' }),
		minScore: z.number().min(0).max(1).meta({ description: 'Below this cosine a text goes to "other".' }),
		seed: z.number().int()
	})
	.meta({ description: 'What assignment and re-discovery need to reproduce discovery.' });
export type ReasonSettings = z.infer<typeof ReasonSettingsSchema>;

export const ReasonModelSchema = z
	.object({
		version: z.literal(REASON_MODEL_VERSION),
		createdAt: z.iso.datetime(),
		settings: ReasonSettingsSchema,
		vocabulary: z.array(z.string().min(1)).meta({ description: 'Terms: words and "word word" bigrams.' }),
		idf: z.array(z.number().positive()),
		reasons: z.array(ReasonSchema),
		nextId: z.number().int().positive().meta({ description: 'Number for the next new reason id (r<n>).' }),
		textCount: z.number().int().nonnegative().meta({ description: 'Texts seen by the last discovery.' })
	})
	.superRefine((m, ctx) => {
		if (m.idf.length !== m.vocabulary.length)
			ctx.addIssue({ code: 'custom', message: 'idf and vocabulary differ in length', path: ['idf'] });
		const ids = new Set<string>();
		m.reasons.forEach((r, i) => {
			if (ids.has(r.id)) ctx.addIssue({ code: 'custom', message: `duplicate reason id ${r.id}`, path: ['reasons', i] });
			ids.add(r.id);
			if (r.centroids.some((c) => c.terms.some((t) => t >= m.vocabulary.length)))
				ctx.addIssue({ code: 'custom', message: 'centroid term out of vocabulary', path: ['reasons', i, 'centroids'] });
			const reserved = r.id === NO_TEXT_REASON_ID ? 'no_text' : r.id === OTHER_REASON_ID ? 'other' : 'reason';
			if (reserved !== r.kind)
				ctx.addIssue({ code: 'custom', message: `reason ${r.id} has kind ${r.kind}`, path: ['reasons', i, 'kind'] });
		});
		for (const id of [NO_TEXT_REASON_ID, OTHER_REASON_ID])
			if (!ids.has(id)) ctx.addIssue({ code: 'custom', message: `reserved reason ${id} missing`, path: ['reasons'] });
	})
	.meta({ description: 'Contact reasons of one deployment, with what is needed to assign new texts.' });
export type ReasonModel = z.infer<typeof ReasonModelSchema>;

export const ReasonChangesSchema = z
	.object({
		kept: z.array(z.object({ id: z.string(), similarity: z.number() })),
		added: z.array(z.string()).meta({ description: 'Proposed new reasons (new ids).' }),
		split: z.array(z.object({ from: z.string(), into: z.array(z.string()) })),
		merged: z.array(z.object({ from: z.array(z.string()), into: z.string() })),
		removed: z.array(z.string()).meta({ description: 'Old reasons with no counterpart in the new texts (dropped).' }),
		retained: z
			.array(z.string())
			.meta({ description: 'Old reasons a user edited that lost their counterpart: kept unchanged, for review.' })
	})
	.meta({ description: 'What re-discovery changed, as proposals a user can review.' });
export type ReasonChanges = z.infer<typeof ReasonChangesSchema>;
