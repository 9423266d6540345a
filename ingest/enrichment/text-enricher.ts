/**
 * Why this exists: every interaction with a text gets its language, sentiment, intent and scenario
 * at ingest (text/analyze.ts), in English and Chinese, offline. Only fields the source left empty
 * are filled: a call center's speech-analytics sentiment and a mapping's intent win. Which
 * fields were filled is recorded in `attributes.text_enriched`, so `npm run enrich` can re-score
 * exactly those after a model change and never overwrite a source's own values.
 */
import type { Interaction } from '../../schemas/entities';
import { analyzeText, loadModels, type AnalyzeWants, type Models, type TextAnalysis } from './text/analyze';
import { INTENT_SCENARIO } from './text/intents-data';
import type { Enricher } from './types';

export const ENRICHED_ATTRIBUTE = 'text_enriched';

// Identical texts are common (retweets, templated notifications, repeated demo phrasings): the
// analysis of a text is a pure function of it, so a bounded cache saves re-scoring them.
const CACHE_LIMIT = 100_000;
let cache = new Map<string, TextAnalysis>();
let cacheModels: Models | undefined;
function analyzeCached(text: string, models: Models, language: string | undefined, wants: AnalyzeWants): TextAnalysis {
	if (cacheModels !== models) {
		cache = new Map();
		cacheModels = models;
	}
	const key = `${language ?? ''}|${wants.sentiment ? 1 : 0}${wants.intent ? 1 : 0}|${text}`;
	let a = cache.get(key);
	if (!a) {
		a = analyzeText(text, models, language, wants);
		if (cache.size >= CACHE_LIMIT) cache = new Map();
		cache.set(key, a);
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

/**
 * Fills the empty text-derived fields of one record. `refill` lists fields an earlier run of this
 * enricher filled (re-scoring): those are recomputed even though they are no longer empty.
 */
export function enrichRecord(r: Interaction, models: Models, refill: ReadonlySet<string> = new Set()): void {
	const empty = (f: EnrichedField) =>
		refill.has(f) || (f === 'sentiment' ? r.sentiment === null : r[f] === '' || r[f] === undefined);
	const want = {
		language: empty('language'),
		sentiment: empty('sentiment'),
		intent: empty('intent'),
		scenario: empty('scenario')
	};
	if (!r.text || !(want.language || want.sentiment || want.intent || want.scenario)) return;
	const a = analyzeCached(r.text, models, want.language ? undefined : r.language, {
		sentiment: want.sentiment,
		intent: want.intent || (want.scenario && !(r.intent in INTENT_SCENARIO))
	});
	const filled: EnrichedField[] = [];
	if (want.language && a.language) {
		r.language = a.language;
		filled.push('language');
	}
	if (want.sentiment && a.sentiment !== null) {
		r.sentiment = a.sentiment;
		filled.push('sentiment');
	}
	if (want.intent && a.intent) {
		r.intent = a.intent;
		filled.push('intent');
	}
	if (want.scenario) {
		// A source's own intent decides the scenario when it is one of ours.
		const scenario = want.intent ? a.scenario : (INTENT_SCENARIO[r.intent as keyof typeof INTENT_SCENARIO] ?? '');
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

export const textEnricher: Enricher = {
	name: 'text',
	prepare() {
		loadModels();
	},
	enrich(records) {
		const models = loadModels();
		for (const r of records) enrichRecord(r, models);
	}
};
