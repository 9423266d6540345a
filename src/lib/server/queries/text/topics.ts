/**
 * Why this exists: `text.topics` — salient terms and phrases (src/lib/server/text/terms.ts) of the
 * texts behind a pain point (stage / touchpoint / channel / intent) or a period. Reads bounded
 * samples of raw texts (no roll-up can hold words), so its cost does not grow with the data: the
 * target and the background are each at most SAMPLE texts.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { sqlTemplate } from '$db/sql-template';
import { TextTopicsSchema, type TextTopics, type TextTopicsInput } from '$schemas/text';
import { maskText } from '$lib/privacy/mask';
import { salientTerms, type TermDoc } from '../../text/terms';
import { customerNames, nameWords } from '../privacy/names';
import sql from './sample.sql?raw';

/**
 * From the hash sample kept at ingest (migration 20261208_1201), else from every stored text: both
 * give the same texts when the sample holds enough of them (see the migration).
 */
export const SAMPLE_SQL = {
	kept: sqlTemplate(sql, { source: 'text_sample', hash: 'h' }),
	all: sqlTemplate(sql, { source: 'interactions', hash: 'cityHash64(interaction_id)' })
} as const;
export const SAMPLE = 2000;
const DAY = 86_400_000;

const RowSchema = z.object({ text: z.string(), language: z.string(), customer_id: z.string() });

const chTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** Which stored texts a sample takes: those matching the filter (`inside`) or the rest of the range. */
export interface SampleQuery {
	/** [from, to) in ms. */
	range: [number, number];
	stage?: string;
	touchpoint?: string;
	channel?: string;
	intent?: string;
	negativeOnly?: boolean;
	inside: boolean;
}

/**
 * At most SAMPLE texts of a range, of lowest hash, from the kept sample when it holds enough.
 * `mask`: each customer's name in their own text is masked (for texts whose words are shown).
 */
export async function sampleTexts(client: ClickHouseClient, q: SampleQuery, mask = true): Promise<TermDoc[]> {
	const query_params = {
		from: chTime(q.range[0]),
		to: chTime(q.range[1]),
		stage: q.stage ?? '',
		touchpoint: q.touchpoint ?? '',
		channel: q.channel ?? '',
		intent: q.intent ?? '',
		negative_only: q.negativeOnly ? 1 : 0,
		inside: q.inside ? 1 : 0,
		limit: SAMPLE
	};
	const read = async (query: string) =>
		z.array(RowSchema).parse(await (await client.query({ query, query_params, format: 'JSONEachRow' })).json());
	const kept = await read(SAMPLE_SQL.kept);
	const rows = kept.length >= SAMPLE ? kept : await read(SAMPLE_SQL.all);
	if (!mask) return rows.map((r) => ({ text: r.text, language: r.language }));
	// A customer's name in their own text must not become a topic: masked before terms are counted.
	const names = await customerNames(
		client,
		rows.map((r) => r.customer_id)
	);
	return rows.map((r) => ({ text: maskText(r.text, names.get(r.customer_id)), language: r.language }));
}

export async function getTextTopics(client: ClickHouseClient, input: TextTopicsInput): Promise<TextTopics> {
	const from = Date.parse(`${input.from}T00:00:00Z`);
	const to = Date.parse(`${input.to}T00:00:00Z`) + DAY;
	const filtered = Boolean(input.stage || input.touchpoint || input.channel || input.intent);
	// The background's words are only counted, never shown: its texts are not masked.
	const sample = (range: [number, number], inside: boolean, mask = true) =>
		sampleTexts(client, { ...input, range, inside }, mask);
	// With a filter: what sets these texts apart from the rest of the period. Without: what is new
	// in this period compared with the one before.
	const [target, background] = await Promise.all([
		sample([from, to], true),
		filtered ? sample([from, to], false, false) : sample([from - (to - from), from], true, false)
	]);
	// Names of other known customers mentioned in the texts are dropped from the list.
	const candidates = salientTerms(target, background, input.limit + 10);
	const names = await nameWords(
		client,
		candidates.map((t) => t.term)
	);
	const terms = candidates.filter(
		(t) =>
			!t.term
				.toLowerCase()
				.split(/\s+/)
				.some((w) => names.has(w))
	);
	return TextTopicsSchema.parse({
		terms: terms.slice(0, input.limit),
		sample: { target: target.length, background: background.length },
		background: filtered ? 'rest_of_range' : 'previous_period'
	});
}
