/**
 * Why this exists: what the channel-mix bars draw (sorted, labelled, with shares), as plain data.
 */
import type { ChannelMixRow } from '$schemas/kpi';

export interface ChannelBar {
	channel: string;
	label: string;
	interactions: number;
	share: number;
}

export function buildChannelMixSpec(
	rows: ChannelMixRow[],
	opts: { label: (channel: string) => string; width: number }
) {
	const bars: ChannelBar[] = [...rows]
		.sort((a, b) => b.interactions - a.interactions || a.channel.localeCompare(b.channel))
		.map((r) => ({ channel: r.channel, label: opts.label(r.channel), interactions: r.interactions, share: r.share }));
	return {
		bars,
		width: Math.max(240, Math.round(opts.width)),
		height: 30 + bars.length * 28,
		maxShare: Math.max(0, ...bars.map((b) => b.share))
	};
}
