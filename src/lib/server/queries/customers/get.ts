/**
 * Why this exists: `customers.get` — the customer 360: CRM facts, value tier and segment, churn
 * risk with reasons, orders, and the journey across channels as a timeline. Every read is a
 * primary-key lookup or range (customers, customer_timeline, customer_monthly, orders,
 * churn_scores), so it stays fast at 10M interactions. PII leaves the server masked (names,
 * emails, phones, and the same inside verbatims — $lib/privacy/mask); an admin's reveal goes
 * through privacy.revealCustomer, which is audited.
 */
import { maskEmail, maskName, maskPhone, maskText } from '$lib/privacy/mask';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { sqlTemplate } from '$db/sql-template';
import { Customer360Schema, ReasonSchema, type Customer360, type CustomerRules } from '$schemas/customers';
import { kpiParts } from '../metrics';
import { readRules, tierSql } from './rules';
import customerFile from './customer.sql?raw';
import timelineSql from './timeline.sql?raw';
import ordersSql from './orders.sql?raw';

const CUSTOMER_KPIS = kpiParts('customer', ['csat', 'sentiment']);
export const customerSql = (rules: CustomerRules) =>
	sqlTemplate(customerFile, { tier: tierSql(rules), ...CUSTOMER_KPIS });

const Reasons = z.array(ReasonSchema);

export async function getCustomer(
	client: ClickHouseClient,
	input: { id: string; limit: number },
	rules?: CustomerRules
): Promise<Customer360 | null> {
	const r = rules ?? (await readRules(client));
	const params = {
		id: input.id,
		limit: input.limit,
		hv_months: r.highValue.months,
		hv_min_monthly: r.highValue.minMonthlyInteractions,
		hv_tenure_months: Math.round(r.highValue.minTenureYears * 12),
		tier_platinum: r.tiers.platinum,
		tier_gold: r.tiers.gold,
		tier_silver: r.tiers.silver
	};
	const run = async <T>(query: string) =>
		(await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>();
	const [[c], timeline, orders] = await Promise.all([
		run<Record<string, unknown>>(customerSql(r)),
		run<Record<string, unknown>>(timelineSql),
		run<Record<string, unknown>>(ordersSql)
	]);
	if (!c) return null;
	return Customer360Schema.parse({
		customerId: c.customer_id,
		name: maskName(String(c.name ?? '')),
		email: maskEmail(String(c.email ?? '')),
		phone: maskPhone(String(c.phone ?? '')),
		segment: c.segment_,
		tier: c.tier_,
		valueTier: c.value_tier,
		region: c.region_,
		accountOpened: c.opened,
		tenureYears: c.tenure_years,
		lifetimeValue: c.lifetime_value,
		revenue: c.revenue,
		status: c.status_,
		highValue: Boolean(Number(c.high_value)),
		interactions: c.interactions ?? 0,
		complaints: c.complaints ?? 0,
		csat: c.csat ?? null,
		sentiment: c.sentiment ?? null,
		lastInteraction: c.last_ts ?? null,
		risk:
			c.risk_score === null || c.risk_score === undefined
				? null
				: { score: c.risk_score, reasons: Reasons.parse(JSON.parse(String(c.risk_reasons || '[]'))) },
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
			// Their own name too: people sign their messages.
			text: maskText(String(t.text ?? ''), [String(c.name ?? '')])
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
