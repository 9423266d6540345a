/**
 * Why this exists: the text-analytics area of the API — topics (salient terms and phrases) of a
 * pain point or a period. Sentiment, language and intent are stored on each interaction at ingest
 * and read through the other areas' queries.
 */
import { TextTopicsInputSchema } from '$schemas/text';
import { getTextTopics } from '../../queries/text/topics';
import { cachedQuery, router } from '../init';

export const textRouter = router({
	topics: cachedQuery.input(TextTopicsInputSchema).query(({ ctx, input }) => getTextTopics(ctx.db.client, input))
});
