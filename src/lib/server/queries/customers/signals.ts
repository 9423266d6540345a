/**
 * Why this exists: `customers.signals` — churn early-warning signals per group (high-value segment
 * vs everyone else), now and month by month: quiet customers, repeated complaints of the same
 * type, falling sentiment, unresolved contacts. Thresholds come from the stored rules.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { sqlTemplate } from '$db/sql-template';
import { SignalsSchema, type CustomerRules, type Signals } from '$schemas/customers';
import { kpiParts } from '../metrics';
import { monthList } from './needs';
import { currentPortrait, readParts } from './portrait-store';
import { getAsOf, HIGH_VALUE_SQL, keptUnderRules, readRules, ruleParams } from './rules';
import repeatSql from './repeat-complainers.sql?raw';
import nowSql from './signals-now.sql?raw';
import trendSql from './signals-trend.sql?raw';
import quietSql from './signals-quiet.sql?raw';

/** The repeat-complainers subquery; signals-now.sql embeds it as its `repeat` part. */
export const REPEAT_SQL = repeatSql.replace(/^--.*\n/gm, '').trim();
export const SIGNALS_SQL = {
	now: sqlTemplate(nowSql, { hv: HIGH_VALUE_SQL, repeat: REPEAT_SQL }),
	trend: sqlTemplate(trendSql, { hv: HIGH_VALUE_SQL, ...kpiParts('customer', ['sentiment', 'notResolvedShare']) }),
	quiet: sqlTemplate(quietSql, { hv: HIGH_VALUE_SQL })
};

const minusDays = (day: string, n: number) =>
	new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

type N = number | string;
const group = (isHv: N | boolean) => (Number(isHv) ? ('high_value' as const) : ('others' as const));

/** The signals' queries by kept part (portrait.ts stores their answers). */
export const SIGNAL_PARTS = {
	signalsNow: SIGNALS_SQL.now,
	signalsTrend: SIGNALS_SQL.trend,
	signalsQuiet: SIGNALS_SQL.quiet
};

export function signalParams(r: CustomerRules, asOf: string, months: number) {
	const list = monthList(asOf, months);
	return {
		...ruleParams(r, asOf),
		period_from: list[0]!,
		// "Now": repeated complaints inside the window that ends at as_of.
		repeat_from: minusDays(asOf, r.churn.repeatWindowDays - 1),
		months,
		quiet_days: r.churn.quietDays,
		repeat_min: r.churn.repeatMin,
		repeat_window_days: r.churn.repeatWindowDays,
		sentiment_drop: r.churn.sentimentDrop
	};
}

/** Ids of customers with repeated same-type complaints at any time in the last `months` (tests, drill-downs). */
export async function getRepeatComplainers(
	client: ClickHouseClient,
	months: number,
	rules?: CustomerRules
): Promise<string[]> {
	const r = rules ?? (await readRules(client));
	const asOf = await getAsOf(client);
	if (!asOf) return [];
	const rs = await client.query({
		query: REPEAT_SQL,
		query_params: { ...signalParams(r, asOf, months), repeat_from: monthList(asOf, months)[0]! },
		format: 'JSONEachRow'
	});
	return (await rs.json<{ customer_id: string }>()).map((x) => x.customer_id).sort();
}

export const getSignals = keptUnderRules('signals', computeSignals);

async function computeSignals(client: ClickHouseClient, input: { months: number }, r: CustomerRules): Promise<Signals> {
	const portrait = await currentPortrait(client, r);
	const asOf = portrait ? portrait.asOf : await getAsOf(client);
	if (!asOf) return { asOf: null, rules: r, now: [], trend: [] };
	const params = signalParams(r, asOf, input.months);
	const parts = await readParts(client, portrait, SIGNAL_PARTS, params);
	const now = parts.signalsNow as {
		is_hv: N;
		customers: N;
		quiet: N;
		repeat_complaints: N;
		falling_sentiment: N;
		unresolved: N;
	}[];
	const trend = parts.signalsTrend as {
		bucket: string;
		is_hv: N;
		sentiment: N | null;
		unresolved_share: N | null;
		repeat_complaints: N;
	}[];
	const quiet = parts.signalsQuiet as { bucket: string; is_hv: N; eligible: N; quiet: N }[];
	const key = (m: string, g: string) => `${m}|${g}`;
	const byKey = new Map(trend.map((t) => [key(t.bucket, group(t.is_hv)), t]));
	const months = monthList(asOf, input.months);
	const trendRows = quiet
		.map((q) => {
			const g = group(q.is_hv);
			const t = byKey.get(key(q.bucket, g));
			return {
				month: q.bucket,
				group: g,
				customers: Number(q.eligible),
				quietShare: Number(q.eligible) ? Number(q.quiet) / Number(q.eligible) : null,
				repeatComplaints: Number(t?.repeat_complaints ?? 0),
				sentiment: t?.sentiment ?? null,
				unresolvedShare: t?.unresolved_share ?? null
			};
		})
		.filter((x) => months.includes(x.month))
		.sort((a, b) => a.month.localeCompare(b.month) || a.group.localeCompare(b.group));
	return SignalsSchema.parse({
		asOf,
		rules: r,
		now: now
			.map((x) => ({
				group: group(x.is_hv),
				customers: x.customers,
				quiet: x.quiet,
				repeatComplaints: x.repeat_complaints,
				fallingSentiment: x.falling_sentiment,
				unresolved: x.unresolved
			}))
			.sort((a, b) => a.group.localeCompare(b.group)),
		trend: trendRows
	});
}
