/**
 * Why this exists: the key-driver endpoints `npm run bench` measures — CSAT, NPS and negative
 * sentiment drivers over 30/90/365 days or the whole data, and churn drivers. Their target is
 * their own (≤ 2 s at 10M, computed): a fit with bootstrap intervals, kept per data version.
 */
import type { BenchEndpoints } from './types';

const OUTCOMES = ['csat', 'nps', 'negative'] as const;

export const endpoints: BenchEndpoints = ({ filter }) => ({
	'drivers.contacts': (i) => {
		const { from, to } = filter(i);
		return { outcome: OUTCOMES[i % 3], from, to };
	},
	'drivers.churn': () => undefined
});
