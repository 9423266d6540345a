/**
 * Why this exists: the trends, ROI and settings endpoints `npm run bench` measures.
 * Forecast inputs cycle through every KPI × three horizons (33 distinct questions), so most of the
 * measured forecast requests are fitted afresh (not served from the per-input cache).
 */
import { INTERVALS } from '../../schemas/kpi';
import { BREAKDOWNS, TREND_KPIS as KPIS } from '../../schemas/trends';
import type { BenchEndpoints } from './types';

const ZONES = ['UTC', 'Asia/Shanghai', 'America/New_York'] as const;

export const endpoints: BenchEndpoints = ({ filter }) => ({
	'trends.series': (i) => {
		const { from, to } = filter(i);
		return {
			from,
			to,
			interval: INTERVALS[i % 3],
			breakdown: BREAKDOWNS[i % 5],
			tz: ZONES[i % 3]
		};
	},
	'trends.forecast': (i) => ({ kpi: KPIS[i % KPIS.length], horizon: [4, 12, 26][Math.floor(i / KPIS.length) % 3] }),
	'trends.anomalies': (i) => ({ kpis: [KPIS[i % KPIS.length]] }),
	'roi.summary': () => undefined,
	'settings.get': () => undefined
});
