/**
 * Why this exists: what the segment-comparison bars draw — for each category (channel, stage,
 * intent, tier) its share within the high-value segment and within everyone else, side by side,
 * as plain data. Categories are ordered by the segment's share, then everyone else's.
 */

export interface CompareInput {
	group: 'high_value' | 'others';
	items: { key: string; n: number }[];
}

export interface CompareBar {
	key: string;
	label: string;
	group: 'high_value' | 'others';
	groupLabel: string;
	n: number;
	share: number;
}

export const COMPARE_MARGIN = { top: 4, right: 56, bottom: 40, left: 130 };
/** Height of one bar; a category holds two. */
export const COMPARE_BAR = 14;

export function buildSegmentCompareSpec(
	groups: CompareInput[],
	opts: { width: number; top: number; label: (key: string) => string; groupLabel: (g: CompareInput['group']) => string }
) {
	const shares = new Map<string, { high_value: number; others: number; nh: number; no: number }>();
	for (const g of groups) {
		const total = g.items.reduce((a, x) => a + x.n, 0);
		for (const x of g.items) {
			const s = shares.get(x.key) ?? { high_value: 0, others: 0, nh: 0, no: 0 };
			s[g.group] = total ? x.n / total : 0;
			if (g.group === 'high_value') s.nh = x.n;
			else s.no = x.n;
			shares.set(x.key, s);
		}
	}
	const keys = [...shares]
		.sort((a, b) => b[1].high_value - a[1].high_value || b[1].others - a[1].others || a[0].localeCompare(b[0]))
		.slice(0, opts.top)
		.map(([k]) => k);
	const bars: CompareBar[] = keys.flatMap((key) => {
		const s = shares.get(key)!;
		return (['high_value', 'others'] as const).map((group) => ({
			key,
			label: opts.label(key),
			group,
			groupLabel: opts.groupLabel(group),
			n: group === 'high_value' ? s.nh : s.no,
			share: s[group]
		}));
	});
	return {
		bars,
		labels: keys.map(opts.label),
		width: Math.max(260, Math.round(opts.width)),
		height: COMPARE_MARGIN.top + COMPARE_MARGIN.bottom + keys.length * (COMPARE_BAR * 2 + 8),
		maxShare: Math.max(0, ...bars.map((b) => b.share))
	};
}
