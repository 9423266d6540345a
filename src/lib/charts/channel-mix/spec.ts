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

/** Plot margins: room for channel names on the left, share labels on the right, the axis title below. */
export const MIX_MARGIN = { top: 6, right: 56, bottom: 44, left: 110 };
/** Height of one channel's band, in pixels. */
export const MIX_BAND = 32;

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
		height: MIX_MARGIN.top + MIX_MARGIN.bottom + bars.length * MIX_BAND,
		maxShare: Math.max(0, ...bars.map((b) => b.share))
	};
}
