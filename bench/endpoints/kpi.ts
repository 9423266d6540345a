/**
 * Why this exists: the KPI and settings endpoints `npm run bench` measures, with varied inputs.
 * Each dashboard area keeps its own file in bench/endpoints/; bench/run.ts loads them all.
 */
import type { BenchEndpoints } from './types';

export const endpoints: BenchEndpoints = ({ filter }) => ({
	'kpi.summary': filter,
	'kpi.trend': (i) => ({ ...filter(i), interval: (['day', 'week', 'month'] as const)[i % 3] }),
	'kpi.channelMix': filter,
	'kpi.range': () => undefined,
	'settings.targets': () => undefined
});
