/**
 * Why this exists: the journey and pain-point endpoints `npm run bench` measures, with varied
 * inputs: ranges of 30/90/365 days or the whole data, channel sets, value segments, path depths
 * and node levels, and drill-downs into the pain points the list returns.
 */
import type { BenchEndpoints } from './types';

const SEGMENTS = ['all', 'high', 'other'] as const;

export const endpoints: BenchEndpoints = async ({ filter, query, min, max }) => {
	const journey = (i: number) => ({ ...filter(i), segment: SEGMENTS[i % 3] });
	// Drill-down ids come from the list itself (the same ids a user clicks).
	const list = await query<{ items: { id: string }[] }>('painPoints.list', { from: min, to: max });
	const ids = list.items.map((p) => p.id);
	return {
		'journey.map': journey,
		'journey.paths': (i) => ({ ...journey(i), depth: 3 + (i % 6), level: i % 4 === 3 ? 'touchpoint' : 'stage' }),
		'painPoints.list': journey,
		...(ids.length
			? {
					'painPoints.get': (i: number) => ({
						id: ids[i % ids.length],
						filter: { ...filter(i), segment: 'all' },
						page: 1 + (i % 3),
						pageSize: 25
					})
				}
			: {})
	};
};
