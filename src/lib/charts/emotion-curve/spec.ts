/**
 * Why this exists: what the emotion curve draws — mean CSAT and mean sentiment per lifecycle stage,
 * in stage order — as plain data. Both are put on one 0–10 axis (sentiment −1..1 → 0..10) so the
 * two curves can be read together; tooltips and labels carry the original values.
 */
export interface EmotionRow {
	stage: string;
	csat: number | null;
	sentiment: number | null;
}

export interface EmotionPoint {
	stage: string;
	label: string;
	series: 'csat' | 'sentiment';
	/** On the shared 0–10 axis. */
	y: number;
	/** The original value (CSAT 0–10, sentiment −1..1). */
	value: number;
}

export function buildEmotionSpec(
	rows: EmotionRow[],
	opts: { stages: string[]; label: (s: string) => string; width: number }
) {
	const by = new Map(rows.map((r) => [r.stage, r]));
	const points: EmotionPoint[] = [];
	for (const stage of opts.stages) {
		const r = by.get(stage);
		if (!r) continue;
		if (r.csat !== null) points.push({ stage, label: opts.label(stage), series: 'csat', y: r.csat, value: r.csat });
		if (r.sentiment !== null)
			points.push({
				stage,
				label: opts.label(stage),
				series: 'sentiment',
				y: (r.sentiment + 1) * 5,
				value: r.sentiment
			});
	}
	return {
		points,
		domain: opts.stages.map(opts.label),
		width: Math.max(320, Math.round(opts.width)),
		height: 180
	};
}
