/**
 * Why this exists: the one door from the app (`src/`) into ingest. Pages, tRPC routers and the
 * server's start-up import only from here (as `$ingest`), so ingest's inner layout can change
 * without touching the app, and ESLint can refuse any other path into this folder.
 */
export { loadDemoIfEmpty } from './demo/load';
export { JOURNEY_RULES_KEY, JourneyRulesSchema, loadJourneyRules } from './enrichment/journey-rules';
export {
	CUSTOM_INTENTS_KEY,
	CustomIntentsSchema,
	loadCustomIntents,
	type CustomIntents
} from './enrichment/custom-intents';
export { INTENT_SCENARIO } from './enrichment/text/intents-data';
export { rescore, type RescoreSummary } from './enrichment/text/rescore';
export { explain } from './enrichment/identity/resolve';
export { loadMapping } from './mapping/mapping-file';
export type { Source } from './service/config';
export { ingestHost, sourcesFile, startIngestHost } from './service/host';
export { reprocessQuarantine } from './service/reprocess';
export { readStatus, readStatuses, resetCursor, writeStatus } from './service/state';
export { handleWebhook, MAX_BODY_BYTES } from './service/webhook';
export { detectLanguage } from './enrichment/text/language';
export { cleanText } from './enrichment/text/normalize';
export { isPunctuation, tokenize, unmarked } from './enrichment/text/tokenize';
export {
	canonicalId,
	discoverStored,
	hideReason,
	idsNamed,
	mergeReasons,
	readDictionary,
	readReasonModel,
	ReasonEditError,
	reasonBinding,
	renameReason,
	RESOLVED_STAGE,
	RESOLVED_TOUCHPOINT,
	setReasonStage,
	splitReason,
	writeReasonModel,
	type DictionaryEntry,
	type ReasonBinding
} from './enrichment/reasons/app';
export { onIngested } from './service/after-run';
/** A seeded random source, for app code whose answers must repeat (the key-driver bootstrap). */
export { seededRandom } from './enrichment/reasons/cluster';
