/**
 * Why this exists: `text.topics` — salient terms and phrases (src/lib/server/text/terms.ts) of the
 * texts behind a pain point (stage / touchpoint / channel / intent) or a period. Reads bounded
 * samples of raw texts (no roll-up can hold words), so its cost does not grow with the data: the
 * target and the background are each at most SAMPLE texts.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { TextTopicsSchema, type TextTopics, type TextTopicsInput } from '$schemas/text';
import { salientTerms, type TermDoc } from '../../text/terms';
import sql from './sample.sql?raw';

export const SAMPLE_SQL = sql;
export const SAMPLE = 2000;
const DAY = 86_400_000;

const RowSchema = z.object({ text: z.string(), language: z.string() });

const chTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

export async function getTextTopics(client: ClickHouseClient, input: TextTopicsInput): Promise<TextTopics> {
	const from = Date.parse(`${input.from}T00:00:00Z`);
	const to = Date.parse(`${input.to}T00:00:00Z`) + DAY;
	const filtered = Boolean(input.stage || input.touchpoint || input.channel || input.intent);
	const sample = async (range: [number, number], inside: boolean): Promise<TermDoc[]> => {
		const rs = await client.query({
			query: SAMPLE_SQL,
			query_params: {
				from: chTime(range[0]),
				to: chTime(range[1]),
				stage: input.stage ?? '',
				touchpoint: input.touchpoint ?? '',
				channel: input.channel ?? '',
				intent: input.intent ?? '',
				negative_only: input.negativeOnly ? 1 : 0,
				inside: inside ? 1 : 0,
				limit: SAMPLE
			},
			format: 'JSONEachRow'
		});
		return z.array(RowSchema).parse(await rs.json());
	};
	const target = await sample([from, to], true);
	// With a filter: what sets these texts apart from the rest of the period. Without: what is new
	// in this period compared with the one before.
	const background = filtered ? await sample([from, to], false) : await sample([from - (to - from), from], true);
	return TextTopicsSchema.parse({
		terms: salientTerms(target, background, input.limit),
		sample: { target: target.length, background: background.length },
		background: filtered ? 'rest_of_range' : 'previous_period'
	});
}
