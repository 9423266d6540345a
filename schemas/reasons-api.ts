/**
 * Why this exists: the contract of the reasons API (`reasons.*`): what the Reasons page asks for and
 * gets back, and the edits it sends. Bad edits (an unknown reason, a merge into itself, an empty
 * name) pass this shape and are refused by the edit itself with a message (a 400).
 */
import { z } from 'zod';
import { ChannelSchema, StageSchema } from './entities';
import { dateRange, day } from './fields';
import { numOrNull } from './fields';

const reasonId = z
	.string()
	.min(1)
	.max(64)
	.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a reason id')
	.meta({ description: 'A reason id, as reasons.list gives it.' });

export const ReasonListInputSchema = dateRange(
	z.object({
		from: day(),
		to: day(),
		channels: z.array(ChannelSchema).max(20).optional(),
		sources: z.array(z.string().min(1).max(64)).max(50).optional()
	}),
	5
).meta({ description: 'Date range, optionally narrowed to channels and sources.' });
export type ReasonListInput = z.infer<typeof ReasonListInputSchema>;

export const ReasonRowSchema = z.object({
	id: z.string(),
	kind: z.enum(['reason', 'no_text', 'other']),
	name: z.string(),
	stage: z.string(),
	stageGuessed: z.boolean(),
	hidden: z.boolean(),
	phrases: z.array(z.string()),
	examples: z.array(z.string()).meta({ description: 'Verbatims nearest the reason, contact details masked.' }),
	mergedIds: z.array(z.string()),
	interactions: z.number(),
	share: z.number().meta({ description: 'Of all contacts in the range.' }),
	previousInteractions: z.number().meta({ description: 'In the period of equal length before.' }),
	complaintRate: numOrNull,
	negativeShare: numOrNull.meta({ description: 'Share with sentiment below −0.25.' }),
	sentiment: numOrNull,
	csat: numOrNull.meta({ description: 'Mean CSAT 0–10.' }),
	lowCsatRate: numOrNull,
	trend: z.array(z.object({ week: z.string(), interactions: z.number() }))
});
export type ReasonRow = z.infer<typeof ReasonRowSchema>;

export const ReasonListSchema = z.object({
	from: z.string(),
	to: z.string(),
	total: z.number(),
	unassigned: z.number().meta({ description: 'Contacts stored before any reason was discovered.' }),
	discovered: z.boolean().meta({ description: 'Whether reasons have been discovered at all.' }),
	reasons: z.array(ReasonRowSchema)
});
export type ReasonList = z.infer<typeof ReasonListSchema>;

export const RenameReasonSchema = z.strictObject({ id: reasonId, name: z.string().max(400) });
export const MergeReasonsSchema = z.strictObject({ from: reasonId, into: reasonId });
export const SplitReasonSchema = z.strictObject({ id: reasonId });
export const HideReasonSchema = z.strictObject({ id: reasonId, hidden: z.boolean().default(true) });
export const SetReasonStageSchema = z.strictObject({ id: reasonId, stage: StageSchema });
export const DiscoverReasonsSchema = z
	.strictObject({ confirm: z.literal('discover') })
	.meta({ description: 'Discovery rewrites every stored month: the caller confirms with "discover".' });
