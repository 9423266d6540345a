/**
 * Why this exists: the action-effect query `npm run bench` measures — the difference in
 * differences for an action on a pain point the list returns, done on varied days of the data, on
 * each KPI an action can target.
 */
import type { BenchEndpoints } from './types';

const KPIS = ['complaintRate', 'csat', 'negativeShare', 'aht'] as const;
const DAY = 86_400_000;

export const endpoints: BenchEndpoints = async ({ query, min, max }) => {
	const list = await query<{ items: { id: string }[] }>('painPoints.list', { from: min, to: max });
	const ids = list.items.map((p) => p.id);
	const span = Math.max(1, (Date.parse(max) - Date.parse(min)) / DAY);
	// Done days spread over the middle of the data, so both sides have weeks to compare.
	const doneAt = (i: number) =>
		new Date(Date.parse(min) + Math.floor(span * (0.3 + (0.4 * ((i * 37) % 100)) / 100)) * DAY)
			.toISOString()
			.slice(0, 10);
	if (!ids.length) return {};
	const out: Record<string, (i: number) => unknown> = {
		'actions.effect': (i) => ({ target: ids[i % ids.length], kpi: KPIS[i % KPIS.length], doneAt: doneAt(i) })
	};
	return out;
};
