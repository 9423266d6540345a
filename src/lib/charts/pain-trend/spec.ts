/**
 * Why this exists: what a pain point's trend chart draws — volume bars and complaint rate per
 * week or month — as plain data; buckets with no contacts are left out rather than drawn as zero.
 */
export interface PainTrendRow {
	bucket: string;
	interactions: number;
	complaintRate: number | null;
	csat: number | null;
}

export function buildPainTrendSpec(rows: PainTrendRow[], opts: { width: number }) {
	const points = rows
		.filter((r) => r.interactions > 0)
		.map((r) => ({ date: new Date(`${r.bucket}T00:00:00Z`), ...r }))
		.sort((a, b) => a.date.getTime() - b.date.getTime());
	return {
		points,
		maxVolume: Math.max(1, ...points.map((p) => p.interactions)),
		width: Math.max(280, Math.round(opts.width)),
		height: 200
	};
}
