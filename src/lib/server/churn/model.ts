/**
 * Why this exists: the churn-risk model over behaviour features and whatever numeric and categorical
 * attributes the CRM mapping brings, so it works on any company's export — with interactions or
 * without. Two learners: logistic regression (ml-logistic-regression, mljs) and a random forest of
 * ml-cart trees (forest.ts), which finds non-linear effects a linear model cannot; the refresh keeps
 * whichever predicts better on customers it did not train on.
 *
 * Reasons work the same for both: a feature is a reason when making it typical (the training
 * median, or the most common category) lowers the customer's risk; the largest drops are the
 * reasons, in words with the customer's value beside the typical one ("tenure 1, typical 5").
 *
 * Pure (no database): features.sql gives the rows; refresh.ts stores model and scores; the eval
 * script splits customers and measures AUC on the held-out part.
 */
import { fitLogistic } from '../logistic';
import type { Reason } from '$schemas/customers';
import { predictForest, trainForest, type Forest } from './forest';

/** One customer's row from features.sql. */
export interface FeatureRow {
	customer_id: string;
	churned: number;
	/** 1 when the CRM states the outcome (status active or churned); unknown outcomes are not trained on. */
	known: number;
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
	no_contact_on_record: 'above',
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
const QUIET_CAP = 120;
const ORDER_CAP = 240;

/** Behaviour and typed CRM features: name → (row → value, with nulls left for imputation). */
const BASE: Record<string, (r: FeatureRow) => number | null> = {
	// Capped at QUIET_CAP: past a few months' silence a customer is simply quiet. Uncapped, the
	// customers scored today (quiet for up to years) lie far outside what training saw (churners
	// as of a cutoff shortly before their churn date), and other features swamp the signal.
	// A customer with no contact on record is not "quiet for the cap": mixing the two taught the forest
	// that the cap is safe (most never-contacted customers stay). Their own flag says it instead.
	days_since_last: (r) =>
		r.days_since_last === null ? null : Math.log1p(Math.min(QUIET_CAP, Number(r.days_since_last))),
	no_contact_on_record: (r) => (Number(r.n_total) === 0 ? 1 : 0),
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

/** The value a person reads for a transformed feature (days, not log-days); null: none on record. */
const HUMAN: Record<string, (r: FeatureRow) => number> = {
	days_since_last: (r) => (r.days_since_last === null ? NaN : Number(r.days_since_last)),
	lifetime_value_log: (r) => r.lifetime_value,
	days_since_order: (r) => (r.days_since_order === null ? NaN : Number(r.days_since_order))
};
/** The typical value in the same terms (the median of a log is the log of the median). */
const HUMAN_TYPICAL: Record<string, (t: number) => number> = {
	days_since_last: (t) => Math.expm1(t),
	lifetime_value_log: (t) => Math.expm1(t),
	days_since_order: (t) => Math.expm1(t)
};

export interface FeatureSpec {
	/** Numeric features: base names and `attr:<key>` for numeric attributes. */
	numeric: string[];
	/** One-hot features: [column, value]; column is segment/tier/region or `attr:<key>`. */
	categorical: [string, string][];
	means: number[];
	stds: number[];
	/** Per feature, the typical training value: the median (numeric) or the share in the category. */
	typical: number[];
}

export type Learner = 'logistic' | 'forest';
export const LEARNERS: readonly Learner[] = ['logistic', 'forest'];

export interface ChurnModel {
	learner: Learner;
	spec: FeatureSpec;
	/** Logistic regression: intercept first, then one weight per standardised feature. */
	weights: number[];
	forest?: Forest;
	/** Training customers' row in the forest's training set (for out-of-bag scores). */
	trainRows?: Map<string, number>;
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
	// A feature that does not vary among the training customers says nothing: a CRM without
	// interactions gives every behaviour feature one value, and they are left out (not shown).
	const varies = (name: string) => {
		const xs = rows
			.map((r) => (name.startsWith('attr:') ? numAttr(r.attributes?.[name.slice(5)]) : BASE[name]!(r)))
			.filter((x): x is number => x !== null);
		return xs.some((x) => x !== xs[0]);
	};
	const spec: FeatureSpec = {
		numeric: numeric.filter(varies),
		categorical,
		means: [],
		stds: [],
		typical: []
	};
	const raw = rows.map((r) => rawVector(spec, r));
	const p = spec.numeric.length + categorical.length;
	for (let j = 0; j < p; j++) {
		const xs = raw.map((v) => v[j]).filter((x): x is number => x !== null);
		const mean = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
		const sd = xs.length ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) : 0;
		spec.means.push(mean);
		spec.stds.push(sd > 1e-9 ? sd : 1);
		spec.typical.push(xs.length ? median(xs) : mean);
	}
	return spec;
}

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
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

export function train(
	rows: FeatureRow[],
	opts: { learner?: Learner; steps?: number; now?: Date; seed?: string } = {}
): ChurnModel {
	const learner = opts.learner ?? 'logistic';
	const spec = buildSpec(rows);
	const X = rows.map((r) => vector(spec, r));
	const y = rows.map((r) => (Number(r.churned) ? 1 : 0));
	const base = {
		learner,
		spec,
		trainedOn: rows.length,
		churned: y.filter(Boolean).length,
		trainedAt: (opts.now ?? new Date()).toISOString()
	};
	if (learner === 'forest')
		return {
			...base,
			weights: [],
			forest: trainForest(X, y, { seed: opts.seed }),
			trainRows: new Map(rows.map((r, i) => [r.customer_id, i]))
		};
	// On standardised features a mean-gradient step of 0.5 converges; a step of 2/p left
	// days-since-last, the strongest single feature, almost unweighted.
	return { ...base, weights: fitLogistic(X, y, opts.steps ?? 1500, 0.5) };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Risk 0–1 of each standardised feature vector (`ids`: whose, for out-of-bag scores). */
function riskOf(model: ChurnModel, Z: number[][], ids: string[] = []): number[] {
	if (model.learner === 'forest' && model.forest)
		return predictForest(
			model.forest,
			Z,
			ids.map((id) => model.trainRows?.get(id))
		);
	return Z.map((z) => sigmoid(z.reduce((s, x, j) => s + model.weights[j + 1]! * x, model.weights[0]!)));
}

/** Risk 0–1 of each customer. */
export function predict(model: ChurnModel, rows: FeatureRow[]): number[] {
	return riskOf(
		model,
		rows.map((r) => vector(model.spec, r)),
		rows.map((r) => r.customer_id)
	);
}

/** Features that move together when made typical: each numeric alone, a category's one-hots as one. */
function groupsOf(spec: FeatureSpec): { name: string; idx: number[] }[] {
	const out: { name: string; idx: number[] }[] = spec.numeric.map((name, j) => ({ name, idx: [j] }));
	const byCol = new Map<string, number[]>();
	spec.categorical.forEach(([col], k) => byCol.set(col, [...(byCol.get(col) ?? []), spec.numeric.length + k]));
	for (const [col, idx] of byCol) out.push({ name: col, idx });
	return out;
}

/** The most common category of a column among the training customers ('' when none of the top ones is). */
function modeOf(spec: FeatureSpec, idx: number[]): number | null {
	let best: number | null = null;
	let share = 1 - idx.reduce((s, j) => s + spec.means[j]!, 0);
	for (const j of idx)
		if (spec.means[j]! > share) {
			share = spec.means[j]!;
			best = j;
		}
	return best;
}

/**
 * Risk and the top reasons of each customer: for every feature (a category as one), the risk with
 * that feature set to its typical value; the largest falls in risk are the reasons.
 */
export function explain(model: ChurnModel, rows: FeatureRow[], topReasons = 3): { score: number; reasons: Reason[] }[] {
	const spec = model.spec;
	const groups = groupsOf(spec);
	const names = featureNames(spec);
	const Z = rows.map((r) => vector(spec, r));
	const variants: number[][] = [];
	for (const z of Z) {
		variants.push(z);
		for (const g of groups) {
			const v = [...z];
			if (g.idx.length === 1 && g.idx[0]! < spec.numeric.length) {
				const j = g.idx[0]!;
				v[j] = (spec.typical[j]! - spec.means[j]!) / spec.stds[j]!;
			} else {
				const mode = modeOf(spec, g.idx);
				for (const j of g.idx) v[j] = ((j === mode ? 1 : 0) - spec.means[j]!) / spec.stds[j]!;
			}
			variants.push(v);
		}
	}
	const stride = groups.length + 1;
	// Out of bag for the customers the forest learned from, the same trees for all their variants.
	const risk = riskOf(
		model,
		variants,
		rows.flatMap((r) => Array<string>(stride).fill(r.customer_id))
	);
	return rows.map((r, i) => {
		const score = risk[i * stride]!;
		const raw = rawVector(spec, r);
		const drops: { g: number; drop: number }[] = [];
		groups.forEach((g, k) => {
			const drop = score - risk[i * stride + k + 1]!;
			if (drop <= 0.01) return;
			if (g.idx.length === 1 && g.idx[0]! < spec.numeric.length) {
				const j = g.idx[0]!;
				if (raw[j] === null) return;
				const direction = REASON_DIRECTION[g.name];
				const above = raw[j]! > spec.typical[j]!;
				if (direction && (direction === 'above') !== above) return;
			} else if (!g.idx.some((j) => raw[j] === 1) && modeOf(spec, g.idx) === null) return;
			drops.push({ g: k, drop });
		});
		drops.sort((a, b) => b.drop - a.drop);
		const reasons = drops.slice(0, topReasons).map(({ g: k, drop }): Reason => {
			const g = groups[k]!;
			const weight = Math.round(drop * 1000) / 1000;
			if (g.idx.length === 1 && g.idx[0]! < spec.numeric.length) {
				const j = g.idx[0]!;
				const human = HUMAN[g.name];
				const value = human ? human(r) : raw[j]!;
				const typical = human ? (HUMAN_TYPICAL[g.name]?.(spec.typical[j]!) ?? spec.typical[j]!) : spec.typical[j]!;
				const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : null);
				return {
					feature: g.name,
					weight,
					value: round(value),
					typical: round(typical),
					above: !Number.isFinite(value) || value > typical,
					text: reasonText(g.name, value, typical)
				};
			}
			const mine = g.idx.find((j) => raw[j] === 1);
			const mode = modeOf(spec, g.idx);
			const label = (j: number | null | undefined) =>
				j === null || j === undefined ? 'other' : names[j]!.split('=').slice(1).join('=');
			return {
				feature: mine === undefined ? `${g.name}=other` : names[mine]!,
				weight,
				value: 1,
				typical: null,
				typicalLabel: label(mode),
				above: true,
				text: `${pretty(g.name)} is ${label(mine)} (most customers: ${label(mode)})`
			};
		});
		return { score, reasons };
	});
}

/** One customer's risk and reasons. */
export function score(model: ChurnModel, r: FeatureRow, topReasons = 3): { score: number; reasons: Reason[] } {
	return explain(model, [r], topReasons)[0]!;
}

const pretty = (name: string) => name.replace(/^attr:/, '').replace(/_/g, ' ');

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

/** Account ages in the unit a person would use for both: months up to five years, else years. */
export function ageUnit(...years: number[]): 'months' | 'years' {
	return Math.max(...years.filter(Number.isFinite)) < 5 ? 'months' : 'years';
}
function age(years: number, unit: 'months' | 'years'): string {
	const n = Math.round(unit === 'months' ? years * 12 : years);
	return `${n} ${unit === 'months' ? 'month' : 'year'}${n === 1 ? '' : 's'}`;
}

/** English words for a reason, the customer's value beside the typical one; the UI translates by feature. */
export function reasonText(feature: string, value: number, typical: number): string {
	const r = (x: number) => Math.round(x);
	const v = Math.round(value * 100) / 100;
	const t = Math.round(typical * 100) / 100;
	switch (feature) {
		case 'days_since_last':
			return Number.isFinite(value) ? `No contact for ${r(value)} days, typical ${r(typical)}` : 'No contact on record';
		case 'no_contact_on_record':
			return 'No contact on record';
		case 'complaints_90d':
			return `${r(value)} complaints in the last 90 days, typical ${r(typical)}`;
		case 'same_issue_complaints_90d':
			return `${r(value)} complaints about the same issue in the last 90 days, typical ${r(typical)}`;
		case 'unresolved_90d':
			return `${r(value)} unresolved contacts in the last 90 days, typical ${r(typical)}`;
		case 'contacts_90d':
			return `${r(value)} contacts in the last 90 days, typical ${r(typical)}`;
		case 'tenure_years':
			return `Account age ${age(value, ageUnit(value, typical))}, typical ${age(typical, ageUnit(value, typical))}`;
		case 'lifetime_value_log':
			return `Lifetime value ${r(value)}, typical ${r(typical)}`;
		case 'days_since_order':
			return Number.isFinite(value) ? `No order for ${r(value)} days, typical ${r(typical)}` : 'No order on record';
	}
	const label = LABELS[feature] ?? pretty(feature);
	return `${label} ${v}, typical ${t}`;
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
