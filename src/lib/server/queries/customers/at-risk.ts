/**
 * Why this exists: `customers.atRisk` — customers not yet churned, ranked by value × churn risk,
 * with the model's reasons, filterable by group, signal, CRM segment and tier. Also the rows of
 * the CSV export (/customers/at-risk/export.csv).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { sqlTemplate } from '$db/sql-template';
import {
	AtRiskSchema,
	ReasonSchema,
	type AtRisk,
	type AtRiskInput,
	type CustomerRules,
	type Signal
} from '$schemas/customers';
import { ensureChurnScores, type StoredModel } from '../../churn/refresh';
import { cached } from '../../kept';
import { currentPortrait, PORTRAIT_HV_SQL } from './portrait-store';
import { HIGH_VALUE_SQL, readRules, ruleParams } from './rules';
import sql from './at-risk.sql?raw';

/** Signal filters: fixed SQL keyed by the zod enum (never input text). */
export const SIGNAL_SQL: Record<Signal | 'any', string> = {
	any: '1',
	// No contact on record at all is quiet too.
	quiet: '(days_since_last IS NULL OR days_since_last >= {quiet_days:UInt32})',
	repeat_complaints: 'repeat_complaints >= {repeat_min:UInt32}',
	falling_sentiment: 'ifNull(sentiment_delta, 0) <= -{sentiment_drop:Float64}',
	unresolved: 'unresolved_90d > 0'
};

/** Orderings: fixed SQL keyed by the zod enum. */
export const ORDER_SQL: Record<AtRiskInput['sort'], string> = {
	priority: 'priority DESC, score DESC',
	risk: 'score DESC, priority DESC'
};

/** `hv`: the high-value subquery, or the kept portrait's set (PORTRAIT_HV_SQL) when it is current. */
export const atRiskSql = (signal: Signal | 'any', sort: AtRiskInput['sort'] = 'priority', hv = HIGH_VALUE_SQL) =>
	sqlTemplate(sql, { hv, signal: SIGNAL_SQL[signal], order: ORDER_SQL[sort] });

type N = number | string;
interface Row {
	customer_id: string;
	score: N;
	value: N;
	priority: N;
	high_value: N | boolean;
	segment: string;
	tier: string;
	region: string;
	days_since_last: N | null;
	complaints_90d: N;
	repeat_complaints: N;
	unresolved_90d: N;
	sentiment_delta: N | null;
	reasons: string;
	total: N;
}

const Reasons = z.array(ReasonSchema);

/** `keep: false` for one-off reads (the CSV export's pages) that should not fill the cache. */
export async function getAtRisk(
	client: ClickHouseClient,
	input: AtRiskInput,
	rules?: CustomerRules,
	opts: { keep?: boolean } = {}
): Promise<AtRisk> {
	const [stored, r] = await Promise.all([
		ensureChurnScores(client),
		rules ? Promise.resolve(rules) : readRules(client)
	]);
	const asOf = stored.asOf;
	if (!asOf) return { total: 0, refreshedAt: null, model: null, asOf: null, interactions: false, rows: [] };
	// churn_scores change only with a refresh, so its time keys the kept answers with the rules and input.
	if (opts.keep === false) return listAtRisk(client, input, r, asOf, stored);
	return cached(client, ['atRisk', stored.refreshedAt, r, input], () => listAtRisk(client, input, r, asOf, stored));
}

async function listAtRisk(
	client: ClickHouseClient,
	input: AtRiskInput,
	r: CustomerRules,
	asOf: string,
	stored: StoredModel
): Promise<AtRisk> {
	// The kept high-value set is as of the last contact; churn's "now" may be a later CRM or order date.
	const portrait = await currentPortrait(client, r);
	const kept = portrait?.asOf === asOf ? portrait : null;
	const rs = await client.query({
		query: atRiskSql(input.signal, input.sort, kept ? PORTRAIT_HV_SQL : HIGH_VALUE_SQL),
		query_params: {
			...ruleParams(r, asOf),
			portrait_key: kept?.key ?? '',
			min_risk: input.minRisk,
			group: input.group,
			segment: input.segment,
			tier: input.tier,
			limit: input.limit,
			offset: input.offset,
			quiet_days: r.churn.quietDays,
			repeat_min: r.churn.repeatMin,
			sentiment_drop: r.churn.sentimentDrop
		},
		format: 'JSONEachRow'
	});
	const rows = await rs.json<Row>();
	return AtRiskSchema.parse({
		total: Number(rows[0]?.total ?? 0),
		refreshedAt: stored.refreshedAt,
		model:
			stored.trainedOn && stored.learner
				? {
						learner: stored.learner,
						auc: stored.auc,
						baselineAuc: stored.baselineAuc,
						heldOut: stored.heldOut,
						trainedOn: stored.trainedOn,
						churned: stored.churned,
						unknown: stored.unknown
					}
				: null,
		asOf,
		interactions: stored.interactions,
		rows: rows.map((x) => ({
			customerId: x.customer_id,
			score: x.score,
			value: x.value,
			priority: x.priority,
			highValue: Boolean(Number(x.high_value)),
			segment: x.segment,
			tier: x.tier,
			region: x.region,
			daysSinceLast: x.days_since_last,
			complaints90d: x.complaints_90d,
			repeatComplaints: x.repeat_complaints,
			unresolved90d: x.unresolved_90d,
			sentimentDelta: x.sentiment_delta,
			reasons: Reasons.parse(JSON.parse(x.reasons || '[]'))
		}))
	});
}
