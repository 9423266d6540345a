/**
 * Why this exists: what the emotion curve draws — mean CSAT and mean sentiment per lifecycle stage,
 * in stage order — as plain data. Both are put on one 0–10 axis (sentiment −1..1 → 0..10) so the
 * two curves can be read together; tooltips and labels carry the original values.
 *
 * Value labels never overprint: at each stage the higher point is labelled above it and the lower
 * one below it, so the two labels sit on opposite sides of both points whatever the gap. A lower
 * point at the floor of the axis (no room below) is labelled above, stacked over the other label.
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
	/** Where its value label goes: above or below the point, or stacked above the other label. */
	place: 'above' | 'below' | 'stacked';
}

/** Vertical label offsets (px) for each placement. */
export const LABEL_DY = { above: -11, below: 16, stacked: -25 } as const;

/** Axis units (of 10) below which a label would run into the x axis. */
const FLOOR = 1;

export function buildEmotionSpec(
	rows: EmotionRow[],
	opts: { stages: string[]; label: (s: string) => string; width: number }
) {
	const by = new Map(rows.map((r) => [r.stage, r]));
	const points: EmotionPoint[] = [];
	for (const stage of opts.stages) {
		const r = by.get(stage);
		if (!r) continue;
		const here: EmotionPoint[] = [];
		if (r.csat !== null)
			here.push({ stage, label: opts.label(stage), series: 'csat', y: r.csat, value: r.csat, place: 'above' });
		if (r.sentiment !== null)
			here.push({
				stage,
				label: opts.label(stage),
				series: 'sentiment',
				y: (r.sentiment + 1) * 5,
				value: r.sentiment,
				place: 'above'
			});
		if (here.length === 2) {
			const [hi, lo] = here[0]!.y >= here[1]!.y ? [here[0]!, here[1]!] : [here[1]!, here[0]!];
			hi.place = 'above';
			if (lo.y >= FLOOR) lo.place = 'below';
			else [hi.place, lo.place] = ['stacked', 'above'];
		}
		points.push(...here);
	}
	return {
		points,
		domain: opts.stages.map(opts.label),
		width: Math.max(320, Math.round(opts.width)),
		height: 180
	};
}
