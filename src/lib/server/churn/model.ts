/**
 * Why this exists: the churn-risk model — logistic regression (ml-logistic-regression, mljs) over
 * behaviour features and whatever numeric and categorical attributes the CRM mapping brings, so
 * it works on any company's export. Logistic regression because each score then explains itself:
 * a feature's contribution is weight × standardised value, and the largest positive ones are the
 * customer's reasons in words.
 *
 * Pure (no database): features.sql gives the rows; refresh.ts stores model and scores; the eval
 * script splits customers and measures AUC on the held-out part.
 */
import { fitLogistic } from '../logistic';
import type { Reason } from '$schemas/customers';

/** One customer's row from features.sql. */
export interface FeatureRow {
	customer_id: string;
	churned: number;
	segment: string;
	tier: string;
	region: string;
	attributes: Record<string, string>;
	lifetime_value: number;
	revenue: number;
	tenure_years: number | null;
	n_total: number | string;
	n90: number | string;
	n_prev90: number | string;
	days_since_last: number | string | null;
	c90: number | string;
	unres90: number | string;
	s90_sum: number;
	s90_n: number | string;
	sprev_sum: number;
	sprev_n: number | string;
	csat90_sum: number;
	csat90_n: number | string;
	channels: number | string;
	max_same: number | string;
	orders_365d: number | string;
	spend_365d: number;
	days_since_order: number | string | null;
}

/** Attribute names that could carry the outcome are never features. */
export const OUTCOME_LIKE = /churn|status|cancel|closed|terminat|lost|attrition|retain/i;

const MAX_CATEGORIES = 8;
/**
 * The direction in which a behaviour feature reads as a reason someone can act on ("no contact for
 * 140 days", "3 unresolved contacts"). A weight pointing the other way (say, higher CSAT adding a
 * little risk on this data) still counts in the score but is not offered as a reason.
 */
const REASON_DIRECTION: Record<string, 'above' | 'below'> = {
	days_since_last: 'above',
	contacts_90d: 'below',
	contacts_prev_90d: 'below',
	activity_change: 'below',
	complaints_90d: 'above',
	same_issue_complaints_90d: 'above',
	unresolved_90d: 'above',
	sentiment_90d: 'below',
	sentiment_change: 'below',
	csat_180d: 'below',
	channels_used: 'below',
	days_since_order: 'above'
};
const MAX_DISTINCT = 60;
const DAYS_CAP = 365;
const QUIET_CAP = 120;
const ORDER_CAP = 240;

/** Behaviour and typed CRM features: name → (row → value, with nulls left for imputation). */
const BASE: Record<string, (r: FeatureRow) => number | null> = {
	// Capped at QUIET_CAP: past a few months' silence a customer is simply quiet. Uncapped, the
	// customers scored today (quiet for up to years) lie far outside what training saw (churners
	// as of a cutoff shortly before their churn date), and other features swamp the signal.
	days_since_last: (r) =>
		Math.log1p(Math.min(QUIET_CAP, r.days_since_last === null ? QUIET_CAP : Number(r.days_since_last))),
	contacts_90d: (r) => Number(r.n90),
	contacts_prev_90d: (r) => Number(r.n_prev90),
	activity_change: (r) => Math.log1p(Number(r.n90)) - Math.log1p(Number(r.n_prev90)),
	complaints_90d: (r) => Number(r.c90),
	same_issue_complaints_90d: (r) => Number(r.max_same ?? 0),
	unresolved_90d: (r) => Number(r.unres90),
	sentiment_90d: (r) => (Number(r.s90_n) ? r.s90_sum / Number(r.s90_n) : null),
	sentiment_change: (r) =>
		Number(r.s90_n) && Number(r.sprev_n) ? r.s90_sum / Number(r.s90_n) - r.sprev_sum / Number(r.sprev_n) : null,
	csat_180d: (r) => (Number(r.csat90_n) ? r.csat90_sum / Number(r.csat90_n) : null),
	channels_used: (r) => Number(r.channels ?? 0),
	tenure_years: (r) => r.tenure_years,
	lifetime_value_log: (r) => Math.log1p(Math.max(0, r.lifetime_value)),
	// Not the CRM's `revenue` column: a trailing figure as of the export leaks the outcome (see
	// features.sql). Recency of orders as of the cutoff stands in for it; 12-month order counts and
	// spend were tried and dropped: customers quiet for a year have none, unlike anyone the model
	// trains on, and the extrapolation buried the quiet signal (measured on the demo).
	days_since_order: (r) =>
		Math.log1p(Math.min(ORDER_CAP, r.days_since_order === null ? ORDER_CAP : Number(r.days_since_order)))
};

/** The value a person reads for a transformed feature (days, not log-days). */
const HUMAN: Record<string, (r: FeatureRow) => number> = {
	days_since_last: (r) => (r.days_since_last === null ? DAYS_CAP : Number(r.days_since_last)),
	lifetime_value_log: (r) => r.lifetime_value,
	spend_365d_log: (r) => Number(r.spend_365d ?? 0),
	days_since_order: (r) => (r.days_since_order === null ? DAYS_CAP * 2 : Number(r.days_since_order))
};

export interface FeatureSpec {
	/** Numeric features: base names and `attr:<key>` for numeric attributes. */
	numeric: string[];
	/** One-hot features: [column, value]; column is segment/tier/region or `attr:<key>`. */
	categorical: [string, string][];
	means: number[];
	stds: number[];
}

export interface ChurnModel {
	spec: FeatureSpec;
	/** Intercept first, then one weight per standardised feature. */
	weights: number[];
	trainedOn: number;
	churned: number;
	trainedAt: string;
}

const catValue = (r: FeatureRow, col: string): string =>
	col.startsWith('attr:')
		? (r.attributes?.[col.slice(5)] ?? '')
		: String((r as unknown as Record<string, unknown>)[col] ?? '');

const numAttr = (v: string | undefined): number | null => {
	if (v === undefined || v.trim() === '') return null;
	const x = Number(v);
	return Number.isFinite(x) ? x : null;
};

/** Decides the features from the training rows: which attributes are numeric, which categories. */
export function buildSpec(rows: FeatureRow[]): FeatureSpec {
	const attrKeys = new Set<string>();
	for (const r of rows) for (const k of Object.keys(r.attributes ?? {})) if (!OUTCOME_LIKE.test(k)) attrKeys.add(k);
	const numeric = Object.keys(BASE);
	const catCols = ['segment', 'tier', 'region'];
	for (const k of [...attrKeys].sort()) {
		const vals = rows.map((r) => r.attributes?.[k]).filter((v): v is string => v !== undefined && v !== '');
		if (!vals.length) continue;
		if (vals.filter((v) => numAttr(v) !== null).length >= 0.9 * vals.length) numeric.push(`attr:${k}`);
		else catCols.push(`attr:${k}`);
	}
	const categorical: [string, string][] = [];
	for (const col of catCols) {
		const counts = new Map<string, number>();
		for (const r of rows) {
			const v = catValue(r, col);
			if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
		}
		if (counts.size < 2 || counts.size > MAX_DISTINCT) continue;
		const top = [...counts]
			.filter(([, n]) => n >= Math.max(2, rows.length * 0.01))
			.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
			.slice(0, MAX_CATEGORIES);
		for (const [v] of top) categorical.push([col, v]);
	}
	const spec: FeatureSpec = { numeric, categorical, means: [], stds: [] };
	const raw = rows.map((r) => rawVector(spec, r));
	const p = numeric.length + categorical.length;
	for (let j = 0; j < p; j++) {
		const xs = raw.map((v) => v[j]).filter((x): x is number => x !== null);
		const mean = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
		const sd = xs.length ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) : 0;
		spec.means.push(mean);
		spec.stds.push(sd > 1e-9 ? sd : 1);
	}
	return spec;
}

function rawVector(spec: FeatureSpec, r: FeatureRow): (number | null)[] {
	const v: (number | null)[] = spec.numeric.map((name) =>
		name.startsWith('attr:') ? numAttr(r.attributes?.[name.slice(5)]) : BASE[name]!(r)
	);
	for (const [col, val] of spec.categorical) v.push(catValue(r, col) === val ? 1 : 0);
	return v;
}

/** Standardised features; a missing value is the training mean (z = 0: no contribution). */
export function vector(spec: FeatureSpec, r: FeatureRow): number[] {
	return rawVector(spec, r).map((x, j) => (x === null ? 0 : (x - spec.means[j]!) / spec.stds[j]!));
}

export function featureNames(spec: FeatureSpec): string[] {
	return [...spec.numeric, ...spec.categorical.map(([c, v]) => `${c}=${v}`)];
}

export function train(rows: FeatureRow[], opts: { steps?: number; now?: Date } = {}): ChurnModel {
	const spec = buildSpec(rows);
	// On standardised features a mean-gradient step of 0.5 converges; a step of 2/p left
	// days-since-last, the strongest single feature, almost unweighted.
	const weights = fitLogistic(
		rows.map((r) => vector(spec, r)),
		rows.map((r) => (Number(r.churned) ? 1 : 0)),
		opts.steps ?? 1500,
		0.5
	);
	return {
		spec,
		weights,
		trainedOn: rows.length,
		churned: rows.filter((r) => Number(r.churned)).length,
		trainedAt: (opts.now ?? new Date()).toISOString()
	};
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Risk 0–1 and the top contributing reasons (largest positive weight × z). */
export function score(model: ChurnModel, r: FeatureRow, topReasons = 3): { score: number; reasons: Reason[] } {
	const z = vector(model.spec, r);
	const raw = rawVector(model.spec, r);
	const names = featureNames(model.spec);
	let logit = model.weights[0]!;
	const contrib: { j: number; c: number }[] = [];
	z.forEach((x, j) => {
		const c = model.weights[j + 1]! * x;
		logit += c;
		// A category the customer is not in is no reason for their risk.
		if (j >= model.spec.numeric.length && raw[j] === 0) return;
		const direction = REASON_DIRECTION[model.spec.numeric[j] ?? ''];
		if (direction && (direction === 'above') !== x > 0) return;
		contrib.push({ j, c });
	});
	contrib.sort((a, b) => b.c - a.c);
	const reasons = contrib
		.filter((x) => x.c > 0.05)
		.slice(0, topReasons)
		.map(({ j, c }) => {
			const above = z[j]! > 0;
			const human = HUMAN[names[j]!];
			const value = human ? human(r) : (raw[j] ?? model.spec.means[j]!);
			return {
				feature: names[j]!,
				weight: Math.round(c * 1000) / 1000,
				value: Math.round(value * 100) / 100,
				above,
				text: reasonText(names[j]!, value, above)
			};
		});
	return { score: sigmoid(logit), reasons };
}

const LABELS: Record<string, string> = {
	days_since_last: 'Days since the last contact',
	contacts_90d: 'Contacts in the last 90 days',
	contacts_prev_90d: 'Contacts in the 90 days before',
	activity_change: 'Change in contacts against the 90 days before',
	complaints_90d: 'Complaints in the last 90 days',
	same_issue_complaints_90d: 'Complaints about one issue in the last 90 days',
	unresolved_90d: 'Unresolved contacts in the last 90 days',
	sentiment_90d: 'Sentiment in the last 90 days',
	sentiment_change: 'Change in sentiment against the 90 days before',
	csat_180d: 'CSAT (0–10) in the last 180 days',
	channels_used: 'Channels used',
	tenure_years: 'Account age in years',
	lifetime_value_log: 'Lifetime value',
	orders_365d: 'Orders in the last 12 months',
	spend_365d_log: 'Spending in the last 12 months',
	days_since_order: 'Days since the last order'
};

/** English words for a reason ("No contact for 142 days"); the UI translates by feature name. */
export function reasonText(feature: string, value: number, above: boolean): string {
	const v = Math.round(value * 100) / 100;
	switch (feature) {
		case 'days_since_last':
			return `No contact for ${Math.round(value)} days`;
		case 'complaints_90d':
			return `${Math.round(value)} complaints in the last 90 days`;
		case 'same_issue_complaints_90d':
			return `${Math.round(value)} complaints about the same issue in the last 90 days`;
		case 'unresolved_90d':
			return `${Math.round(value)} unresolved contacts in the last 90 days`;
		case 'contacts_90d':
			return `${above ? 'More' : 'Fewer'} contacts than usual in the last 90 days (${Math.round(value)})`;
		case 'activity_change':
			return above ? 'Contacts rose against the 90 days before' : 'Contacts fell against the 90 days before';
		case 'sentiment_change':
			return above ? `Sentiment rose by ${v}` : `Sentiment fell by ${Math.abs(v)}`;
		case 'lifetime_value_log':
			return `Lifetime value ${above ? 'above' : 'below'} average (${Math.round(value)})`;
		case 'spend_365d_log':
			return `Spending in the last 12 months ${above ? 'above' : 'below'} average (${Math.round(value)})`;
		case 'days_since_order':
			return `No order for ${Math.round(value)} days`;
	}
	if (feature.includes('=')) {
		const [col, val] = feature.split('=') as [string, string];
		return `${col.replace(/^attr:/, '')} is ${val}`;
	}
	const label = LABELS[feature] ?? feature.replace(/^attr:/, '');
	return `${label}: ${v} (${above ? 'above' : 'below'} average)`;
}

/** Area under the ROC curve (Mann–Whitney, ties counted half). */
export function auc(scores: number[], labels: number[]): number {
	const idx = scores.map((s, i) => ({ s, y: labels[i]! })).sort((a, b) => a.s - b.s);
	let rankSum = 0;
	let pos = 0;
	for (let i = 0; i < idx.length;) {
		let j = i;
		while (j < idx.length && idx[j]!.s === idx[i]!.s) j++;
		const avgRank = (i + 1 + j) / 2;
		for (let k = i; k < j; k++) {
			if (!idx[k]!.y) continue;
			rankSum += avgRank;
			pos++;
		}
		i = j;
	}
	const neg = idx.length - pos;
	if (!pos || !neg) return NaN;
	return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Share of churners among the top-scored tenth. */
export function precisionAtTopDecile(scores: number[], labels: number[]): number {
	const k = Math.max(1, Math.floor(scores.length / 10));
	const top = scores
		.map((s, i) => ({ s, y: labels[i]! }))
		.sort((a, b) => b.s - a.s)
		.slice(0, k);
	return top.filter((x) => x.y).length / k;
}
