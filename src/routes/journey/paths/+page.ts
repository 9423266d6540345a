/**
 * Customer paths for the filter in the URL; `depth` and `level` choose the Sankey's steps and nodes.
 */
import { isoDay } from '$lib/format';
import { loadPage } from '$lib/load';
import { apiFilter, readFilter } from '../url-filter';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url, fetch }) => {
	const depth = Math.max(2, Math.min(10, Number(url.searchParams.get('depth')) || 4));
	const level = url.searchParams.get('level') === 'touchpoint' ? ('touchpoint' as const) : ('stage' as const);
	return loadPage(
		fetch,
		async (api) => {
			const range = await api.kpi.range.query();
			const filter = readFilter(url, range.max ?? isoDay(new Date()));
			const paths = await api.journey.paths.query({ ...apiFilter(filter), depth, level, top: 10 });
			return { filter, range, depth, level, paths };
		},
		{ filter: readFilter(url, isoDay(new Date())), range: null, depth, level, paths: null }
	);
};
