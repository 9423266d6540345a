/**
 * Why this exists: `customers.segments` — the high-value customer portrait against everyone else
 * (size, revenue share, channel mix, stage mix, CSAT, sentiment, top intents, typical tenure).
 * The segment side reads customer_monthly for the segment's customers only; the "everyone" side
 * reads contact_mix_monthly; everyone else is the difference, so no query scans all customers'
 * monthly rows.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { SegmentsSchema, type CustomerRules, type Portrait, type Segments } from '$schemas/customers';
import { cached } from '../../kept';
import { getAsOf, minusMonths, readRules, ruleParams, withFragments } from './rules';
import customersSql from './segments-customers.sql?raw';
import contactsSql from './segments-contacts.sql?raw';
import mixSql from './segments-mix.sql?raw';

type Pairs = [string[], (number | string)[]] | { [k: string]: number | string };

interface ContactRow {
	interactions: number | string;
	complaints: number | string;
	unresolved: number | string;
	csat_sum: number | string;
	csat_n: number | string;
	sentiment_sum: number | string;
	sentiment_n: number | string;
	channels: Pairs;
	stages: Pairs;
	needs: Pairs;
}

interface CustomerRow {
	is_hv: number | boolean;
	customers: number | string;
	revenue: number | string;
	avg_ltv: number | null;
	median_tenure: number | null;
	tiers: Pairs;
}

/** sumMap results arrive as a [keys, values] tuple (or an object from some formats). */
export function pairs(p: Pairs | undefined): Map<string, number> {
	const out = new Map<string, number>();
	if (!p) return out;
	if (Array.isArray(p)) p[0].forEach((k, i) => out.set(k, Number(p[1][i] ?? 0)));
	else for (const [k, v] of Object.entries(p)) out.set(k, Number(v));
	return out;
}

const EMPTY_CONTACTS: ContactRow = {
	interactions: 0,
	complaints: 0,
	unresolved: 0,
	csat_sum: 0,
	csat_n: 0,
	sentiment_sum: 0,
	sentiment_n: 0,
	channels: [[], []],
	stages: [[], []],
	needs: [[], []]
};

interface Contacts {
	interactions: number;
	complaints: number;
	unresolved: number;
	csatSum: number;
	csatN: number;
	sentimentSum: number;
	sentimentN: number;
	channels: Map<string, number>;
	stages: Map<string, number>;
	intents: Map<string, number>;
}

function contacts(r: ContactRow): Contacts {
	const intents = new Map<string, number>();
	for (const [k, v] of pairs(r.needs)) {
		const intent = k.slice(k.indexOf('|') + 1);
		if (intent) intents.set(intent, (intents.get(intent) ?? 0) + v);
	}
	return {
		interactions: Number(r.interactions),
		complaints: Number(r.complaints),
		unresolved: Number(r.unresolved),
		csatSum: Number(r.csat_sum),
		csatN: Number(r.csat_n),
		sentimentSum: Number(r.sentiment_sum),
		sentimentN: Number(r.sentiment_n),
		channels: pairs(r.channels),
		stages: pairs(r.stages),
		intents
	};
}

function minus(a: Contacts, b: Contacts): Contacts {
	const sub = (x: Map<string, number>, y: Map<string, number>) =>
		new Map([...x].map(([k, v]) => [k, Math.max(0, v - (y.get(k) ?? 0))] as const));
	return {
		interactions: Math.max(0, a.interactions - b.interactions),
		complaints: Math.max(0, a.complaints - b.complaints),
		unresolved: Math.max(0, a.unresolved - b.unresolved),
		csatSum: a.csatSum - b.csatSum,
		csatN: Math.max(0, a.csatN - b.csatN),
		sentimentSum: a.sentimentSum - b.sentimentSum,
		sentimentN: Math.max(0, a.sentimentN - b.sentimentN),
		channels: sub(a.channels, b.channels),
		stages: sub(a.stages, b.stages),
		intents: sub(a.intents, b.intents)
	};
}

const sorted = (m: Map<string, number>, top = 50) =>
	[...m]
		.filter(([k, n]) => k !== '' && n > 0)
		.sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
		.slice(0, top)
		.map(([key, n]) => ({ key, n }));

/** Kept per (data version, rules, input): see cache.ts. */
export async function getSegments(
	client: ClickHouseClient,
	input: { months: number },
	rules?: CustomerRules
): Promise<Segments> {
	const r = rules ?? (await readRules(client));
	return cached(client, ['segments', r, input], () => computeSegments(client, input, r));
}

async function computeSegments(
	client: ClickHouseClient,
	input: { months: number },
	rules?: CustomerRules
): Promise<Segments> {
	const r = rules ?? (await readRules(client));
	const asOf = await getAsOf(client);
	if (!asOf) return SegmentsSchema.parse({ rules: r, asOf: null, months: input.months, groups: [] });
	const params = { ...ruleParams(r, asOf), period_from: minusMonths(asOf.slice(0, 8) + '01', input.months - 1) };
	const run = async <T>(sql: string) =>
		(await client.query({ query: withFragments(sql, r), query_params: params, format: 'JSONEachRow' })).json<T>();
	const [crm, seg, all] = await Promise.all([
		run<CustomerRow>(customersSql),
		run<ContactRow>(contactsSql),
		run<ContactRow>(mixSql)
	]);
	const segContacts = contacts(seg[0] ?? EMPTY_CONTACTS);
	const allContacts = contacts(all[0] ?? EMPTY_CONTACTS);
	const totalRevenue = crm.reduce((a, x) => a + Number(x.revenue), 0);
	const groups: Portrait[] = (['high_value', 'others'] as const).map((group) => {
		const c = crm.find((x) => Boolean(Number(x.is_hv)) === (group === 'high_value'));
		const k = group === 'high_value' ? segContacts : minus(allContacts, segContacts);
		const customers = Number(c?.customers ?? 0);
		return {
			group,
			customers,
			revenue: Number(c?.revenue ?? 0),
			revenueShare: totalRevenue ? Number(c?.revenue ?? 0) / totalRevenue : 0,
			avgLifetimeValue: c?.avg_ltv ?? null,
			medianTenureYears: c?.median_tenure ?? null,
			interactions: k.interactions,
			interactionsPerCustomerMonth: customers ? k.interactions / customers / input.months : null,
			complaints: k.complaints,
			csat: k.csatN ? k.csatSum / k.csatN : null,
			sentiment: k.sentimentN ? k.sentimentSum / k.sentimentN : null,
			unresolvedShare: k.interactions ? k.unresolved / k.interactions : null,
			channels: sorted(k.channels),
			stages: sorted(k.stages),
			intents: sorted(k.intents, 10),
			tiers: sorted(pairs(c?.tiers))
		};
	});
	return SegmentsSchema.parse({ rules: r, asOf, months: input.months, groups });
}
