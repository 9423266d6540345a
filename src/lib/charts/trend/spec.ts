/**
 * Why this exists: what the weekly trend chart draws, computed from KPI rows without touching the
 * DOM, so it can be unit-tested. TrendChart.svelte only turns this into Observable Plot marks.
 * Axis ticks sit on bucket starts (so they line up with the bars) and are labelled with Intl in
 * the reader's language (Plot's own time labels are English only).
 */
import type { KpiTrendRow } from '$schemas/kpi';

export interface TrendPoint {
	date: Date;
	bucket: string;
	value: number | null;
}

export interface TrendTick {
	date: Date;
	label: string;
}

export interface TrendSpec {
	width: number;
	panelHeight: number;
	volume: TrendPoint[];
	csat: TrendPoint[];
	/** Bar width in days (the bucket length). */
	barDays: number;
	volumeMax: number;
	csatTarget: number | null;
	/** Segments of the CSAT line: consecutive weeks with a value (gaps are not bridged). */
	csatRuns: TrendPoint[][];
	/** x-axis ticks: every k-th bucket start, labelled for the locale. */
	ticks: TrendTick[];
	/** x domain: first bucket start to the end of the last bucket. */
	domain: [Date, Date] | null;
}

/** Left/right margins of the plot frame; the tick spacing is measured inside them. */
export const TREND_MARGIN = { left: 56, right: 20 };

/**
 * Labels for ticks at bucket starts: the month is named on the first tick and whenever it changes
 * ("Aug 3", "10", "17", "Sep 7" / "8月3日", "10日"…); the year too when the ticks span years.
 */
export function labelTicks(dates: Date[], locale: string): string[] {
	const years = new Set(dates.map((d) => d.getUTCFullYear()));
	const withYear = new Intl.DateTimeFormat(locale, {
		timeZone: 'UTC',
		year: 'numeric',
		month: 'short',
		day: 'numeric'
	});
	const withMonth = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', day: 'numeric' });
	const dayOnly = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric' });
	return dates.map((d, i) => {
		const prev = dates[i - 1];
		if (years.size > 1 && (!prev || prev.getUTCFullYear() !== d.getUTCFullYear())) return withYear.format(d);
		if (!prev || prev.getUTCMonth() !== d.getUTCMonth()) return withMonth.format(d);
		return dayOnly.format(d);
	});
}

export function buildTrendSpec(
	rows: KpiTrendRow[],
	opts: { width: number; csatTarget?: number | null; barDays?: number; locale?: string }
): TrendSpec {
	const toDate = (b: string) => new Date(`${b}T00:00:00Z`);
	const barDays = opts.barDays ?? 7;
	const width = Math.max(280, Math.round(opts.width));
	const volume = rows.map((r) => ({ date: toDate(r.bucket), bucket: r.bucket, value: r.interactions }));
	const csat = rows.map((r) => ({ date: toDate(r.bucket), bucket: r.bucket, value: r.csat }));
	const csatRuns: TrendPoint[][] = [];
	let run: TrendPoint[] = [];
	for (const p of csat) {
		if (p.value === null) {
			if (run.length) csatRuns.push(run);
			run = [];
		} else run.push(p);
	}
	if (run.length) csatRuns.push(run);

	// One tick every `step` buckets, so labels keep ~72px apart (more when they carry a year).
	const first = volume[0];
	const last = volume.at(-1);
	const multiYear = first && last && first.date.getUTCFullYear() !== last.date.getUTCFullYear();
	const inner = width - TREND_MARGIN.left - TREND_MARGIN.right;
	const step = Math.max(1, Math.ceil((volume.length * (multiYear ? 96 : 72)) / inner));
	const tickDates = volume.filter((_, i) => i % step === 0).map((p) => p.date);
	const labels = labelTicks(tickDates, opts.locale ?? 'en');

	return {
		width,
		panelHeight: 190,
		volume,
		csat,
		barDays,
		volumeMax: Math.max(0, ...volume.map((v) => v.value ?? 0)),
		csatTarget: opts.csatTarget ?? null,
		csatRuns,
		ticks: tickDates.map((date, i) => ({ date, label: labels[i]! })),
		domain: first && last ? [first.date, new Date(+last.date + barDays * 864e5)] : null
	};
}
