/**
 * The journey map's data: the filter comes from the URL, the cells and pain points from tRPC.
 */
import { isoDay } from '$lib/format';
import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';
import { apiFilter, readFilter } from './url-filter';

export const load: PageLoad = async ({ url, fetch }) => {
	const api = trpc(fetch);
	const focus = url.searchParams.get('focus') ?? '';
	try {
		const range = await api.kpi.range.query();
		const filter = readFilter(url, range.max ?? isoDay(new Date()));
		const map = await api.journey.map.query(apiFilter(filter));
		return { filter, range, map, focus, error: null };
	} catch (err) {
		return {
			filter: readFilter(url, isoDay(new Date())),
			range: null,
			map: null,
			focus,
			error: (err as Error).message
		};
	}
};
