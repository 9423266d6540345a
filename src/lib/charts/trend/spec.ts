/**
 * Why this exists: what the weekly trend chart draws, computed from KPI rows without touching the
 * DOM, so it can be unit-tested. TrendChart.svelte only turns this into Observable Plot marks.
 */
import type { KpiTrendRow } from '$schemas/kpi';

export interface TrendPoint {
	date: Date;
	bucket: string;
	value: number | null;
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
}

export function buildTrendSpec(
	rows: KpiTrendRow[],
	opts: { width: number; csatTarget?: number | null; barDays?: number }
): TrendSpec {
	const toDate = (b: string) => new Date(`${b}T00:00:00Z`);
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
	return {
		width: Math.max(280, Math.round(opts.width)),
		panelHeight: 190,
		volume,
		csat,
		barDays: opts.barDays ?? 7,
		volumeMax: Math.max(0, ...volume.map((v) => v.value ?? 0)),
		csatTarget: opts.csatTarget ?? null,
		csatRuns
	};
}
