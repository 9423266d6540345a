/**
 * Why this exists: what the app needs of contact reasons — the dictionary and its query-time
 * resolution, the stored model, the edits and discovery on stored texts — gathered for
 * ingest/index.ts, the app's one door into ingest.
 */
export { discoverStored } from './discover-stored';
export { hideReason, mergeReasons, ReasonEditError, renameReason, setReasonStage, splitReason } from './edit';
export {
	canonicalId,
	idsNamed,
	readDictionary,
	reasonBinding,
	RESOLVED_STAGE,
	RESOLVED_TOUCHPOINT,
	type DictionaryEntry,
	type ReasonBinding
} from './resolve';
export { readReasonModel, writeReasonModel } from './store';
