/**
 * Why this exists: every interaction with a text gets its language, sentiment, intent and scenario
 * at ingest (text/analyze.ts), in English and Chinese, offline. Only fields the source left empty
 * are filled: a call center's speech-analytics sentiment and a mapping's intent win. Which
 * fields were filled is recorded in `attributes.text_enriched`, so `npm run enrich` can re-score
 * exactly those after a model change and never overwrite a source's own values. Text from a
 * complaint (isComplaint) is analysed with the complaint prior. A batch of records is analysed on
 * the worker pool (prefetchTextAnalyses → text/pool.ts) before the records are filled one by one.
 */
import type { Interaction } from '../../schemas/entities';
import { analyzeText, loadModels, type AnalyzeWants, type Models, type TextAnalysis } from './text/analyze';
import { INTENT_SCENARIO } from './text/intents-data';
import { analyzeBatch } from './text/pool';
import { loadCustomIntents, compileIntents, matchIntent, type CompiledIntents } from './custom-intents';
import type { Enricher } from './types';

export const ENRICHED_ATTRIBUTE = 'text_enriched';

// Identical texts are common (retweets, templated notifications, repeated demo phrasings): the
// analysis of a text is a pure function of it, so a bounded cache saves re-scoring them.
const CACHE_LIMIT = 100_000;
let cache = new Map<string, TextAnalysis>();
let cacheModels: Models | undefined;
/** Analyses computed ahead by the worker pool (prefetchTextAnalyses), for the records that follow. */
let prefetched = new Map<string, TextAnalysis>();

interface Request {
	key: string;
	text: string;
	language: string | undefined;
	wants: AnalyzeWants;
}

function analyzeCached(q: Request, models: Models): TextAnalysis {
	if (cacheModels !== models) {
		cache = new Map();
		cacheModels = models;
	}
	let a = prefetched.get(q.key) ?? cache.get(q.key);
	if (!a) {
		a = analyzeText(q.text, models, q.language, q.wants);
		if (cache.size >= CACHE_LIMIT) cache = new Map();
		cache.set(q.key, a);
	}
	return a;
}

/** Loads the models and the Chinese segmenter's dictionary now, so their first use does not wait. */
export function warmTextModels(): void {
	analyzeText('预热 warm up', loadModels(), undefined, { sentiment: true, intent: true });
}

/** The fields this enricher fills where a source left them empty. */
export const ENRICHED_FIELDS = ['language', 'sentiment', 'intent', 'scenario'] as const;
export type EnrichedField = (typeof ENRICHED_FIELDS)[number];

type TextRecord = Pick<Interaction, 'text' | 'language' | 'sentiment' | 'intent' | 'scenario'> &
	Partial<Pick<Interaction, 'is_complaint' | 'attributes'>>;

/**
 * Whether a record's text comes from a complaint: the source flags it (`is_complaint`) or puts it
 * in the complaint scenario (a complaint queue) — not a scenario this enricher filled itself.
 */
export function isComplaint(r: TextRecord, refill: ReadonlySet<string> = new Set()): boolean {
	if (r.is_complaint === true) return true;
	const ours = refill.has('scenario') || (r.attributes?.[ENRICHED_ATTRIBUTE] ?? '').split(',').includes('scenario');
	return r.scenario === 'complaint' && !ours;
}

/** Which text-derived fields of a record enrichRecord fills: the empty ones and those in `refill`. */
function wanted(r: TextRecord, refill: ReadonlySet<string>): Record<EnrichedField, boolean> {
	const empty = (f: EnrichedField) =>
		refill.has(f) || (f === 'sentiment' ? r.sentiment === null : r[f] === '' || r[f] === undefined);
	return {
		language: empty('language'),
		sentiment: empty('sentiment'),
		intent: empty('intent'),
		scenario: empty('scenario')
	};
}

/** What enrichRecord would analyse for a record (undefined: nothing). */
function requestOf(r: TextRecord, refill: ReadonlySet<string>, want = wanted(r, refill)): Request | undefined {
	if (!r.text || !(want.language || want.sentiment || want.intent || want.scenario)) return undefined;
	const wants: AnalyzeWants = {
		sentiment: want.sentiment,
		intent: want.intent || (want.scenario && !(r.intent in INTENT_SCENARIO)),
		complaint: want.sentiment && isComplaint(r, refill)
	};
	const language = want.language ? undefined : r.language;
	return {
		key: `${language ?? ''}|${wants.sentiment ? 1 : 0}${wants.intent ? 1 : 0}${wants.complaint ? 1 : 0}|${r.text}`,
		text: r.text,
		language,
		wants
	};
}

/**
 * Analyses the texts of records about to go through enrichRecord on the worker pool (pool.ts), so
 * a batch of different texts uses every core; enrichRecord then finds them ready. Only the latest
 * batch is kept. The results are the same as enrichRecord's own analysis.
 */
export async function prefetchTextAnalyses(records: TextRecord[]): Promise<void> {
	const todo = new Map<string, Request>();
	for (const r of records) {
		const q = requestOf(r, new Set());
		if (q && !todo.has(q.key) && !cache.has(q.key)) todo.set(q.key, q);
	}
	const qs = [...todo.values()];
	const results = await analyzeBatch(qs.map((q) => ({ text: q.text, language: q.language, wants: q.wants })));
	prefetched = new Map(qs.map((q, i) => [q.key, results[i]!]));
}

/**
 * Fills the empty text-derived fields of one record. `refill` lists fields an earlier run of this
 * enricher filled (re-scoring): those are recomputed even though they are no longer empty.
 */
export function enrichRecord(
	r: Interaction,
	models: Models,
	refill: ReadonlySet<string> = new Set(),
	intents: CompiledIntents = []
): void {
	const want = wanted(r, refill);
	const q = requestOf(r, refill, want);
	if (!q) return;
	const a = analyzeCached(q, models);
	const filled: EnrichedField[] = [];
	if (want.language && a.language) {
		r.language = a.language;
		filled.push('language');
	}
	if (want.sentiment && a.sentiment !== null) {
		r.sentiment = a.sentiment;
		filled.push('sentiment');
	}
	// A deployment's own intent, where one matches, wins over the model's class.
	const custom = want.intent ? matchIntent(intents, r.text, r.language || a.language) : undefined;
	if (want.intent && (custom || a.intent)) {
		r.intent = custom?.name ?? a.intent;
		filled.push('intent');
	}
	if (want.scenario) {
		// A source's own intent decides the scenario when it is one of ours.
		const scenario = custom
			? custom.scenario
			: want.intent
				? a.scenario
				: (INTENT_SCENARIO[r.intent as keyof typeof INTENT_SCENARIO] ??
					intents.find((i) => i.name === r.intent)?.scenario ??
					'');
		if (scenario) {
			r.scenario = scenario;
			filled.push('scenario');
		}
	}
	if (refill.size) {
		// Re-scoring: a field filled before but not now goes back to empty.
		for (const f of refill)
			if (!filled.includes(f as EnrichedField)) {
				if (f === 'sentiment') r.sentiment = null;
				else if (f === 'language' || f === 'intent' || f === 'scenario') r[f] = '';
			}
	}
	const attributes = { ...r.attributes };
	if (filled.length) attributes[ENRICHED_ATTRIBUTE] = filled.join(',');
	else delete attributes[ENRICHED_ATTRIBUTE];
	r.attributes = attributes;
}

/** Adds fields Touchmap filled to a record's `text_enriched` list (the text models' and the rules'). */
export function markFilled(r: Pick<Interaction, 'attributes'>, fields: readonly string[]): void {
	if (!fields.length) return;
	const mark = new Set((r.attributes[ENRICHED_ATTRIBUTE] ?? '').split(',').filter(Boolean));
	for (const f of fields) mark.add(f);
	r.attributes = { ...r.attributes, [ENRICHED_ATTRIBUTE]: [...mark].join(',') };
}

/**
 * Empties every field Touchmap filled on a stored record (text fields, and stage/touchpoint the
 * rules filled), so enriching it again sees it as its source sent it.
 */
export function clearFilled(r: Interaction): void {
	for (const f of (r.attributes[ENRICHED_ATTRIBUTE] ?? '').split(',')) {
		if (f === 'sentiment') r.sentiment = null;
		else if (f === 'language' || f === 'intent' || f === 'scenario' || f === 'stage' || f === 'touchpoint') r[f] = '';
	}
	const attributes = { ...r.attributes };
	delete attributes[ENRICHED_ATTRIBUTE];
	r.attributes = attributes;
}

let customIntents: CompiledIntents = [];

export const textEnricher: Enricher = {
	name: 'text',
	async prepare(ctx) {
		loadModels();
		customIntents = compileIntents(await loadCustomIntents(ctx));
	},
	async enrich(records) {
		const models = loadModels();
		await prefetchTextAnalyses(records);
		for (const r of records) enrichRecord(r, models, undefined, customIntents);
	}
};
