/**
 * Why this exists: `reasons.list` — the contact reasons of a range, each with its volume, share,
 * trend, sentiment, CSAT, complaint and negative shares, telling phrases and example verbatims,
 * for ranking by volume and by negativity on the Reasons page. Sums come from the reason roll-ups;
 * names, stages, merges and hidden flags from the dictionary as last edited.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { sqlTemplate } from '$db/sql-template';
import { maskText } from '$lib/privacy/mask';
import { canonicalId } from '$ingest';
import { kpiValue } from '$schemas/metrics';
import { ReasonListSchema, type ReasonList, type ReasonListInput } from '$schemas/reasons-api';
import { wholeMonths } from '../kpi/filter';
import { measureList, sumsOf } from '../metrics';
import { previousPeriod } from '../journey/filter';
import { nameWords } from '../privacy/names';
import { reasonDictionary } from './dictionary';
import sql from './list.sql?raw';

const WHERE = `(empty({channels:Array(String)}) OR has({channels:Array(String)}, channel))
      AND (empty({sources:Array(String)}) OR has({sources:Array(String)}, source))`;

export const LIST_SQL = sqlTemplate(sql, { measures: measureList('reasonsCoarse'), where: WHERE });

const SUMS = sumsOf('reasonsCoarse');
const RowSchema = z.object({
	reason_id: z.string(),
	week: z.string(),
	...Object.fromEntries(SUMS.map((m) => [m, z.coerce.number()]))
});
type Sums = Record<(typeof SUMS)[number], number>;

const zero = (): Sums => Object.fromEntries(SUMS.map((m) => [m, 0])) as Sums;
const add = (a: Sums, b: Sums) => {
	for (const m of SUMS) a[m] += b[m];
};

async function sumsByReason(client: ClickHouseClient, input: ReasonListInput, from: string, to: string) {
	const rs = await client.query({
		query: LIST_SQL,
		query_params: {
			from,
			to,
			...wholeMonths(from, to),
			channels: input.channels ?? [],
			sources: input.sources ?? []
		},
		format: 'JSONEachRow'
	});
	return z.array(RowSchema).parse(await rs.json()) as unknown as ({ reason_id: string; week: string } & Sums)[];
}

const EXAMPLES = 3;
/** A capitalised Latin word: where a name written into a text would be. */
const CAPITALISED = /(?<![\p{L}\p{N}])\p{Lu}\p{Ll}+(?![\p{L}\p{N}])/gu;

/**
 * Masks the examples as every served text is masked: contact details, and the words of them that
 * are part of a known customer's name (an example is kept without its customer, so the names of
 * all customers are looked for, among its capitalised words).
 */
export async function exampleMask(client: ClickHouseClient, examples: string[]): Promise<(text: string) => string> {
	const words = new Set(examples.flatMap((e) => [...e.matchAll(CAPITALISED)].map((m) => m[0].toLowerCase())));
	const names = [...(await nameWords(client, [...words]))];
	return (text) => maskText(text, names);
}

export async function listReasons(client: ClickHouseClient, input: ReasonListInput): Promise<ReasonList> {
	const prev = previousPeriod(input.from, input.to);
	const [dictionary, cur, before] = await Promise.all([
		reasonDictionary(client),
		sumsByReason(client, input, input.from, input.to),
		sumsByReason(client, input, prev.from, prev.to)
	]);
	const byId = new Map(dictionary.map((d) => [d.id, d]));
	const mask = await exampleMask(
		client,
		dictionary.flatMap((d) => d.examples.slice(0, EXAMPLES))
	);
	const totals = new Map<string, Sums>();
	const weeks = new Map<string, Map<string, number>>();
	const previous = new Map<string, number>();
	let total = 0;
	let unassigned = 0;
	for (const r of cur) {
		total += r.interactions;
		if (!r.reason_id) {
			unassigned += r.interactions;
			continue;
		}
		const id = canonicalId(byId, r.reason_id);
		const t = totals.get(id) ?? zero();
		add(t, r);
		totals.set(id, t);
		const w = weeks.get(id) ?? new Map<string, number>();
		w.set(r.week, (w.get(r.week) ?? 0) + r.interactions);
		weeks.set(id, w);
	}
	for (const r of before) {
		if (!r.reason_id) continue;
		const id = canonicalId(byId, r.reason_id);
		previous.set(id, (previous.get(id) ?? 0) + r.interactions);
	}
	// Every week of the range, so a sparkline has its empty weeks.
	const allWeeks = [...new Set(cur.map((r) => r.week))].sort();
	const reasons = dictionary
		.filter((d) => !d.merged_into)
		.map((d) => {
			const s = totals.get(d.id) ?? zero();
			const w = weeks.get(d.id);
			return {
				id: d.id,
				kind: d.kind as 'reason' | 'no_text' | 'other',
				name: d.name,
				stage: d.stage,
				stageGuessed: d.stage_guessed === 1,
				hidden: d.hidden === 1,
				phrases: d.phrases,
				examples: d.examples.slice(0, EXAMPLES).map(mask),
				mergedIds: dictionary.filter((x) => x.merged_into === d.id).map((x) => x.id),
				interactions: s.interactions,
				share: total ? s.interactions / total : 0,
				previousInteractions: previous.get(d.id) ?? 0,
				complaintRate: kpiValue('complaintRate', s),
				negativeShare: kpiValue('negSentimentRate', s),
				sentiment: kpiValue('sentiment', s),
				csat: kpiValue('csat', s),
				lowCsatRate: kpiValue('lowCsatRate', s),
				trend: allWeeks.map((week) => ({ week, interactions: w?.get(week) ?? 0 }))
			};
		})
		.sort((a, b) => b.interactions - a.interactions || a.id.localeCompare(b.id));
	return ReasonListSchema.parse({
		from: input.from,
		to: input.to,
		total,
		unassigned,
		discovered: dictionary.length > 0,
		reasons
	});
}
