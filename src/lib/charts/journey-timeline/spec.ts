/**
 * Why this exists: what the customer-journey timeline draws — every contact and order of one
 * customer as a mark in its channel's lane over time. Shape tells the kind (contact ●, complaint
 * ▲, order ■) and fill the sentiment, so colour is never the only cue.
 */

export interface JourneyEvent {
	ts: string;
	channel: string;
	kind: 'contact' | 'complaint' | 'order';
	sentiment: number | null;
	label: string;
}

export const JOURNEY_MARGIN = { top: 8, right: 16, bottom: 28, left: 96 };
export const JOURNEY_LANE = 30;

export const SENTIMENT_BANDS = ['negative', 'neutral', 'positive', 'unknown'] as const;
export type SentimentBand = (typeof SENTIMENT_BANDS)[number];
export const SENTIMENT_FILL: Record<SentimentBand, string> = {
	negative: 'var(--bad)',
	neutral: '#9aa5b4',
	positive: 'var(--good)',
	unknown: '#ffffff'
};

/** Sentiment bands, each with a word for the tooltip and the legend (not colour alone). */
export function sentimentBand(s: number | null): SentimentBand {
	if (s === null) return 'unknown';
	return s <= -0.2 ? 'negative' : s >= 0.2 ? 'positive' : 'neutral';
}

export function buildJourneySpec(events: JourneyEvent[], opts: { width: number; channelLabel: (c: string) => string }) {
	const points = events
		.map((e) => ({
			...e,
			date: new Date(e.ts.includes('T') ? e.ts : `${e.ts.replace(' ', 'T')}Z`),
			band: sentimentBand(e.sentiment),
			lane: opts.channelLabel(e.channel || 'order')
		}))
		.filter((e) => !Number.isNaN(e.date.getTime()))
		.sort((a, b) => a.date.getTime() - b.date.getTime());
	const counts = new Map<string, number>();
	for (const p of points) counts.set(p.lane, (counts.get(p.lane) ?? 0) + 1);
	const lanes = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([l]) => l);
	return {
		points,
		lanes,
		width: Math.max(280, Math.round(opts.width)),
		height: JOURNEY_MARGIN.top + JOURNEY_MARGIN.bottom + Math.max(1, lanes.length) * JOURNEY_LANE
	};
}
