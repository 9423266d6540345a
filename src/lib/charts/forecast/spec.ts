/**
 * Why this exists: what the KPI trend/forecast chart draws — history lines (one per breakdown group),
 * the forecast's mean with its 80% and 95% bands, the target line and anomaly markers — computed
 * from typed rows without touching the DOM, so it can be unit-tested. ForecastChart.svelte only
 * turns this into Observable Plot marks.
 */
import type { Anomaly, ForecastPoint, TrendKpi, TrendRow } from '$schemas/trends';

export interface LinePoint {
	date: Date;
	bucket: string;
	value: number;
	group: string;
}

export interface BandPoint {
	date: Date;
	bucket: string;
	mean: number;
	lo80: number;
	hi80: number;
	lo95: number;
	hi95: number;
}

export interface ForecastSpec {
	width: number;
	height: number;
	/** Runs of consecutive known values per group (gaps are not bridged). */
	runs: { group: string; points: LinePoint[] }[];
	groups: string[];
	band: BandPoint[];
	target: number | null;
	anomalies: (Anomaly & { date: Date })[];
	yDomain: [number, number];
	xDomain: [Date, Date] | null;
}

/** Line colours of breakdown groups, in group order (the legend uses the same). */
export const PALETTE = [
	'var(--accent)',
	'var(--series-2)',
	'#7a5195',
	'#ef5675',
	'#ffa600',
	'#2f9e44',
	'#495057',
	'#c2255c'
];
export const groupColour = (groups: string[], g: string) => PALETTE[Math.max(0, groups.indexOf(g)) % PALETTE.length]!;

const toDate = (b: string) => new Date(`${b}T00:00:00Z`);

export function buildForecastSpec(
	rows: TrendRow[],
	opts: {
		kpi: TrendKpi;
		width: number;
		height?: number;
		forecast?: ForecastPoint[];
		target?: number | null;
		anomalies?: Anomaly[];
	}
): ForecastSpec {
	const groups = [...new Set(rows.map((r) => r.group))];
	const runs: ForecastSpec['runs'] = [];
	for (const g of groups) {
		let run: LinePoint[] = [];
		for (const r of rows.filter((x) => x.group === g)) {
			const v = r.volume === 0 ? null : r[opts.kpi];
			if (v === null) {
				if (run.length) runs.push({ group: g, points: run });
				run = [];
			} else run.push({ date: toDate(r.bucket), bucket: r.bucket, value: v, group: g });
		}
		if (run.length) runs.push({ group: g, points: run });
	}
	const band = (opts.forecast ?? []).map((p) => ({ ...p, date: toDate(p.bucket) }));
	const firstBucket = rows[0]?.bucket;
	const anomalies = (opts.anomalies ?? [])
		.filter((a) => a.kpi === opts.kpi && (!firstBucket || a.bucket >= firstBucket))
		.map((a) => ({ ...a, date: toDate(a.bucket) }));
	const target = opts.target ?? null;
	const values = [
		...runs.flatMap((r) => r.points.map((p) => p.value)),
		...band.flatMap((b) => [b.lo95, b.hi95]),
		...(target === null ? [] : [target])
	];
	const lo = values.length ? Math.min(...values) : 0;
	const hi = values.length ? Math.max(...values) : 1;
	const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
	// Counts and durations start at zero; scores and rates get a padded range around the data.
	const zeroBased = ['volume', 'complaints', 'aht', 'firstResponse', 'wait'].includes(opts.kpi);
	const dates = [...rows.map((r) => toDate(r.bucket)), ...band.map((b) => b.date)];
	return {
		width: Math.max(280, Math.round(opts.width)),
		height: opts.height ?? 320,
		runs,
		groups,
		band,
		target,
		anomalies,
		yDomain: [zeroBased ? Math.min(0, lo) : lo - pad, hi + pad],
		xDomain: dates.length ? [dates[0]!, dates.at(-1)!] : null
	};
}
