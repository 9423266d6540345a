/**
 * Why this exists: `customers.get` — the customer 360: CRM facts, value tier and segment, churn
 * risk with reasons, orders, and the journey across channels as a timeline. Every read is a
 * primary-key lookup or range (customers, customer_timeline, customer_monthly, orders,
 * churn_scores), so it stays fast at 10M interactions. PII is returned as stored; the page masks
 * it (see $lib/mask).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { Customer360Schema, ReasonSchema, type Customer360, type CustomerRules } from '$schemas/customers';
import { getAsOf, readRules, ruleParams, withFragments } from './rules';
import customerSql from './customer.sql?raw';
import timelineSql from './timeline.sql?raw';
import statsSql from './customer-stats.sql?raw';
import ordersSql from './orders.sql?raw';
import scoreSql from './score.sql?raw';

type N = number | string;
const Reasons = z.array(ReasonSchema);

export async function getCustomer(
	client: ClickHouseClient,
	input: { id: string; limit: number },
	rules?: CustomerRules
): Promise<Customer360 | null> {
	const [r, asOf] = await Promise.all([rules ? Promise.resolve(rules) : readRules(client), getAsOf(client)]);
	const params = { ...ruleParams(r, asOf ?? '1970-01-01'), id: input.id, limit: input.limit };
	const run = async <T>(sql: string) =>
		(await client.query({ query: withFragments(sql, r), query_params: params, format: 'JSONEachRow' })).json<T>();
	const [[c], timeline, [stats], orders, [risk]] = await Promise.all([
		run<Record<string, unknown>>(customerSql),
		run<Record<string, unknown>>(timelineSql),
		run<{ interactions: N; complaints: N; csat: N | null; sentiment: N | null; last_ts: string | null }>(statsSql),
		run<Record<string, unknown>>(ordersSql),
		run<{ score: N; reasons: string }>(scoreSql)
	]);
	if (!c) return null;
	return Customer360Schema.parse({
		customerId: c.customer_id,
		name: c.name,
		email: c.email,
		phone: c.phone,
		segment: c.segment,
		tier: c.tier,
		valueTier: c.value_tier,
		region: c.region,
		accountOpened: c.opened,
		tenureYears: c.tenure_years,
		lifetimeValue: c.lifetime_value,
		revenue: c.revenue,
		status: c.status,
		highValue: Boolean(Number(c.high_value)),
		interactions: stats?.interactions ?? 0,
		complaints: stats?.complaints ?? 0,
		csat: stats?.csat ?? null,
		sentiment: stats?.sentiment ?? null,
		lastInteraction: stats?.last_ts ?? null,
		risk: risk ? { score: risk.score, reasons: Reasons.parse(JSON.parse(risk.reasons || '[]')) } : null,
		timeline: timeline.map((t) => ({
			ts: t.ts,
			interactionId: t.interaction_id,
			source: t.source,
			channel: t.channel,
			stage: t.stage,
			touchpoint: t.touchpoint,
			scenario: t.scenario,
			intent: t.intent,
			complaint: Boolean(Number(t.is_complaint)),
			outcome: t.outcome,
			csat: t.csat_10,
			sentiment: t.sentiment,
			text: t.text
		})),
		orders: orders.map((o) => ({
			ts: o.ts,
			orderId: o.order_id,
			amount: o.amount,
			currency: o.currency,
			status: o.status,
			channel: o.channel,
			product: o.product
		}))
	});
}
