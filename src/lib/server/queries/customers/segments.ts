/**
 * Why this exists: `customers.segments` — the high-value customer portrait against everyone else
 * (size, revenue share, channel mix, stage mix, CSAT, sentiment, top intents, typical tenure).
 * The segment side reads customer_monthly for the segment's customers only; the "everyone" side
 * reads contact_mix_monthly; everyone else is the difference, so no query scans all customers'
 * monthly rows.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { sqlTemplate } from '$db/sql-template';
import { SegmentsSchema, type CustomerRules, type Portrait, type Segments } from '$schemas/customers';
import { kpiValue, MEASURES, ROLLUPS } from '$schemas/metrics';
import { measureList } from '../metrics';
import { currentPortrait, readParts } from './portrait-store';
import { getAsOf, HIGH_VALUE_SQL, keptUnderRules, minusMonths, ruleParams, tierSql } from './rules';
import customersSql from './segments-customers.sql?raw';
import contactsSql from './segments-contacts.sql?raw';
import mixSql from './segments-mix.sql?raw';

const MEASURE_IDS = ROLLUPS.customer.measures;
type Sums = Record<(typeof MEASURE_IDS)[number], number>;

// The segment side reads customer_monthly, the "everyone" side contact_mix_monthly: the same measures
// (rendering throws if contact_mix_monthly lacks one).
export const CONTACTS_SQL = sqlTemplate(contactsSql, { hv: HIGH_VALUE_SQL, measures: measureList('customer') });
export const MIX_SQL = sqlTemplate(mixSql, { measures: measureList('contactMix', MEASURE_IDS) });
export const crmSql = (rules: CustomerRules) => sqlTemplate(customersSql, { hv: HIGH_VALUE_SQL, tier: tierSql(rules) });

type Pairs = [string[], (number | string)[]] | { [k: string]: number | string };

type ContactRow = Record<keyof Sums, number | string> & {
	bucket: string;
	channels: Pairs;
	stages: Pairs;
	needs: Pairs;
};

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

interface Contacts {
	sums: Sums;
	channels: Map<string, number>;
	stages: Map<string, number>;
	intents: Map<string, number>;
}

/** The period's contacts: its months' rows added up. */
function contacts(rows: ContactRow[]): Contacts {
	const out: Contacts = {
		sums: Object.fromEntries(MEASURE_IDS.map((m) => [m, 0])) as Sums,
		channels: new Map(),
		stages: new Map(),
		intents: new Map()
	};
	const add = (to: Map<string, number>, k: string, v: number) => to.set(k, (to.get(k) ?? 0) + v);
	for (const r of rows) {
		for (const m of MEASURE_IDS) out.sums[m] += Number(r[m]);
		for (const [k, v] of pairs(r.channels)) add(out.channels, k, v);
		for (const [k, v] of pairs(r.stages)) add(out.stages, k, v);
		for (const [k, v] of pairs(r.needs)) {
			const intent = k.slice(k.indexOf('|') + 1);
			if (intent) add(out.intents, intent, v);
		}
	}
	return out;
}

/** Everyone else: all customers' contacts minus the segment's (counts never below 0; sums such as sentiment may be). */
function minus(a: Contacts, b: Contacts): Contacts {
	const sub = (x: Map<string, number>, y: Map<string, number>) =>
		new Map([...x].map(([k, v]) => [k, Math.max(0, v - (y.get(k) ?? 0))] as const));
	const isCount = (m: keyof Sums) => MEASURES[m].type.includes('UInt64');
	return {
		sums: Object.fromEntries(
			MEASURE_IDS.map((m) => [m, isCount(m) ? Math.max(0, a.sums[m] - b.sums[m]) : a.sums[m] - b.sums[m]])
		) as Sums,
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

/** The segment portrait's queries by kept part (portrait.ts stores their answers). */
export const segmentParts = (rules: CustomerRules) => ({ crm: crmSql(rules), contacts: CONTACTS_SQL, mix: MIX_SQL });

export const getSegments = keptUnderRules('segments', computeSegments);

async function computeSegments(
	client: ClickHouseClient,
	input: { months: number },
	r: CustomerRules
): Promise<Segments> {
	const portrait = await currentPortrait(client, r);
	const asOf = portrait ? portrait.asOf : await getAsOf(client);
	if (!asOf) return SegmentsSchema.parse({ rules: r, asOf: null, months: input.months, groups: [] });
	const params = { ...ruleParams(r, asOf), period_from: minusMonths(asOf.slice(0, 8) + '01', input.months - 1) };
	const parts = await readParts(client, portrait, segmentParts(r), params);
	const crm = parts.crm as CustomerRow[];
	const segContacts = contacts(parts.contacts as ContactRow[]);
	const allContacts = contacts(parts.mix as ContactRow[]);
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
			interactions: k.sums.interactions,
			interactionsPerCustomerMonth: customers ? k.sums.interactions / customers / input.months : null,
			complaints: k.sums.complaints,
			csat: kpiValue('csat', k.sums),
			sentiment: kpiValue('sentiment', k.sums),
			unresolvedShare: kpiValue('notResolvedShare', k.sums),
			channels: sorted(k.channels),
			stages: sorted(k.stages),
			intents: sorted(k.intents, 10),
			tiers: sorted(pairs(c?.tiers))
		};
	});
	return SegmentsSchema.parse({ rules: r, asOf, months: input.months, groups });
}
