/**
 * Why this exists: `customers.needs` — the top needs (intents) per scenario (transaction,
 * after-sales, complaint, inquiry), for the high-value segment and for all customers, with volume,
 * share of the scenario, a monthly series and the trend (latest 3 months against the 3 before).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { sqlTemplate } from '$db/sql-template';
import { SCENARIOS, type Scenario } from '$schemas/entities';
import { NeedsSchema, type CustomerRules, type NeedRow, type Needs } from '$schemas/customers';
import { getAsOf, HIGH_VALUE_SQL, keptUnderRules, minusMonths, ruleParams } from './rules';
import segmentSql from './needs-segment.sql?raw';
import allSql from './needs-all.sql?raw';

export const NEEDS_SEGMENT_SQL = sqlTemplate(segmentSql, { hv: HIGH_VALUE_SQL });

interface Row {
	bucket: string;
	need: string;
	interactions: number | string;
}

/** Monthly buckets from..to (first days), oldest first. */
export function monthList(asOf: string, months: number): string[] {
	const last = asOf.slice(0, 8) + '01';
	return Array.from({ length: months }, (_, i) => minusMonths(last, months - 1 - i));
}

/** Ranks needs per scenario and shapes series; pure, so it is unit-tested without a database. */
export function shapeNeeds(rows: Row[], months: string[], group: NeedRow['group'], top: number): NeedRow[] {
	const idx = new Map(months.map((m, i) => [m, i]));
	const series = new Map<string, number[]>();
	for (const r of rows) {
		const i = idx.get(r.bucket);
		if (i === undefined) continue;
		const s = series.get(r.need) ?? new Array<number>(months.length).fill(0);
		s[i]! += Number(r.interactions);
		series.set(r.need, s);
	}
	const out: NeedRow[] = [];
	for (const scenario of SCENARIOS) {
		const needs = [...series]
			.filter(([k]) => k.startsWith(`${scenario}|`) && k.length > scenario.length + 1)
			.map(([k, s]) => ({ intent: k.slice(scenario.length + 1), s, total: s.reduce((a, b) => a + b, 0) }));
		const scenarioTotal = needs.reduce((a, n) => a + n.total, 0);
		needs.sort((a, b) => b.total - a.total || a.intent.localeCompare(b.intent));
		for (const n of needs.slice(0, top)) {
			const k = n.s.length;
			const recent = n.s.slice(Math.max(0, k - 3)).reduce((a, b) => a + b, 0);
			const before = n.s.slice(Math.max(0, k - 6), Math.max(0, k - 3)).reduce((a, b) => a + b, 0);
			out.push({
				scenario: scenario as Scenario,
				group,
				intent: n.intent,
				interactions: n.total,
				share: scenarioTotal ? n.total / scenarioTotal : 0,
				trend: before > 0 ? recent / before - 1 : null,
				monthly: n.s
			});
		}
	}
	return out;
}

export const getNeeds = keptUnderRules('needs', computeNeeds);

async function computeNeeds(
	client: ClickHouseClient,
	input: { months: number; top: number },
	r: CustomerRules
): Promise<Needs> {
	const asOf = await getAsOf(client);
	if (!asOf) return { months: [], rows: [] };
	const months = monthList(asOf, input.months);
	const params = { ...ruleParams(r, asOf), period_from: months[0]! };
	const run = async (query: string) =>
		(await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<Row>();
	const [seg, all] = await Promise.all([run(NEEDS_SEGMENT_SQL), run(allSql)]);
	return NeedsSchema.parse({
		months,
		rows: [...shapeNeeds(seg, months, 'high_value', input.top), ...shapeNeeds(all, months, 'all', input.top)]
	});
}
