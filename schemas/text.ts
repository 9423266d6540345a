/**
 * Why this exists: input and output of `text.topics` (salient terms of a pain point or a period),
 * shared by the router, the query module and the pages that show topics.
 */
import { z } from 'zod';
import { ChannelSchema } from './entities';
import { dateRange, day } from './fields';

export const TextTopicsInputSchema = dateRange(
	z.object({
		from: day(),
		to: day(),
		stage: z.string().trim().max(64).optional(),
		touchpoint: z.string().trim().max(128).optional(),
		channel: ChannelSchema.optional(),
		intent: z.string().trim().max(128).optional(),
		/** Only negative texts (sentiment < 0): what the complaints are about. */
		negativeOnly: z.boolean().default(false),
		limit: z.number().int().min(1).max(50).default(20)
	}),
	2
).meta({
	description:
		'Texts of a date range, optionally narrowed to a stage / touchpoint / channel / intent. The background is the rest of the same range, or with no filter the preceding range of equal length.'
});
export type TextTopicsInput = z.infer<typeof TextTopicsInputSchema>;

export const TextTopicsSchema = z.object({
	terms: z.array(z.object({ term: z.string(), score: z.number(), count: z.number().int() })),
	/** Texts read (bounded samples). */
	sample: z.object({ target: z.number().int(), background: z.number().int() }),
	background: z.enum(['rest_of_range', 'previous_period'])
});
export type TextTopics = z.infer<typeof TextTopicsSchema>;
