/**
 * Why this exists: the customer rules (high-value rule, value tiers, churn-signal thresholds) are a
 * stored setting, and every customer query needs the same things from them: "as of" (the last day
 * with data), the high-value subquery and its bound parameters, and the value-tier expression.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { CustomerRulesSchema, type CustomerRules, type CustomerRulesUpdate } from '$schemas/customers';
import { cached } from '../../kept';
import { readSetting, writeSetting } from '../settings/settings';
import asOfSql from './as-of.sql?raw';
import hvSql from './high-value.sql?raw';

export const RULES_KEY = 'customers.rules';
export const AS_OF_SQL = asOfSql;
/** The high-value subquery; queries embed it as their `hv` part. */
export const HIGH_VALUE_SQL = hvSql.replace(/^--.*\n/gm, '').trim();

export function readRules(client: ClickHouseClient): Promise<CustomerRules> {
	return readSetting(client, RULES_KEY, CustomerRulesSchema);
}

/**
 * A customer answer under the given rules (the stored ones by default), kept per (data version,
 * rules, input) — see kept.ts: a rule-defined segment is scattered over customer_monthly.
 */
export function keptUnderRules<I, T>(
	name: string,
	compute: (client: ClickHouseClient, input: I, rules: CustomerRules) => Promise<T>
): (client: ClickHouseClient, input: I, rules?: CustomerRules) => Promise<T> {
	return async (client, input, rules) => {
		const r = rules ?? (await readRules(client));
		return cached(client, [name, r, input], () => compute(client, input, r));
	};
}

/** Merges a partial update into the stored rules; the merged result is validated as a whole. */
export async function updateRules(client: ClickHouseClient, patch: CustomerRulesUpdate): Promise<CustomerRules> {
	const current = await readRules(client);
	const next = CustomerRulesSchema.parse({
		highValue: { ...current.highValue, ...patch.highValue },
		tiers: { ...current.tiers, ...patch.tiers },
		churn: { ...current.churn, ...patch.churn }
	});
	await writeSetting(client, RULES_KEY, next);
	return next;
}

export function getAsOf(client: ClickHouseClient): Promise<string | null> {
	return readDay(client, asOfSql);
}

/** The one day a query answers as `asOf` (null when it has none). */
export async function readDay(client: ClickHouseClient, query: string): Promise<string | null> {
	const rs = await client.query({ query, format: 'JSONEachRow' });
	const [row] = await rs.json<{ asOf: string | null }>();
	return z.iso
		.date()
		.nullable()
		.parse(row?.asOf ?? null);
}

/** `day` minus whole months (fractional years round to months), clamped to the month's end. */
export function minusMonths(day: string, months: number): string {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	const first = new Date(Date.UTC(y, m - 1 - months, 1));
	const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
	first.setUTCDate(Math.min(d, last));
	return first.toISOString().slice(0, 10);
}

/** Bound parameters of HIGH_VALUE_SQL and of the value-tier expression. */
export function ruleParams(rules: CustomerRules, asOf: string) {
	return {
		as_of: asOf,
		hv_months: rules.highValue.months,
		hv_min_monthly: rules.highValue.minMonthlyInteractions,
		hv_opened_before: minusMonths(asOf, Math.round(rules.highValue.minTenureYears * 12)),
		tier_platinum: rules.tiers.platinum,
		tier_gold: rules.tiers.gold,
		tier_silver: rules.tiers.silver
	};
}

/** The value a tier is read from: a column chosen by a zod enum, never by free text. */
export const TIER_BASIS_COLUMN = { lifetime_value: 'lifetime_value', revenue: 'revenue' } as const;

/** SQL for a customer's value tier (reads customers' columns); queries embed it as their `tier` part. */
export function tierSql(rules: CustomerRules): string {
	const v = TIER_BASIS_COLUMN[rules.tiers.basis];
	return `multiIf(${v} >= {tier_platinum:Float64}, 'platinum', ${v} >= {tier_gold:Float64}, 'gold', ${v} >= {tier_silver:Float64}, 'silver', 'bronze')`;
}
