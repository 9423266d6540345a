/**
 * Why this exists: the text-analytics endpoint `npm run bench` measures — topics of an intent or a
 * channel, or of a whole period against the one before (bounded samples; ranges up to 2 years).
 */
import type { BenchEndpoints } from './types';

const INTENTS = ['delivery', 'refund', 'billing', 'login', undefined] as const;
const CHANNELS = ['phone', 'chat', 'weibo', undefined] as const;

export const endpoints: BenchEndpoints = ({ filter }) => ({
	'text.topics': (i) => {
		const f = filter(i);
		// text.topics accepts at most two years: clamp the start.
		const floor = new Date(Date.parse(f.to) - 700 * 86_400_000).toISOString().slice(0, 10);
		return {
			from: f.from < floor ? floor : f.from,
			to: f.to,
			intent: INTENTS[i % INTENTS.length],
			channel: CHANNELS[(i >> 1) % CHANNELS.length],
			negativeOnly: i % 3 === 0
		};
	}
});
