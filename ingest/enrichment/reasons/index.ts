/**
 * Why this exists: the one entry to contact-reason discovery for the rest of ingest and, through
 * ingest/index.ts, the app: discover, assign, re-discover with stable ids, edit, load and save.
 */
export {
	NO_TEXT_REASON_ID,
	OTHER_REASON_ID,
	ReasonModelSchema,
	ReasonSchema,
	ReasonChangesSchema
} from '../../../schemas/reasons';
export type { Reason, ReasonChanges, ReasonModel } from '../../../schemas/reasons';
export { assignReason, type ReasonAssignment } from './assign';
export { DEFAULT_OPTIONS, discoverReasons, discoverWithAssignments, type DiscoverOptions } from './discover';
export {
	hideReason,
	mergeReasons,
	ReasonEditError,
	renameReason,
	setReasonStage,
	splitReason,
	type ReasonEditErrorCode
} from './edit';
export { loadReasonModel, ReasonModelError, saveReasonModel } from './model';
export { rediscover } from './rediscover';
export { guessStage } from './stage';
