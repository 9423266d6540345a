/**
 * One pain point's drill-down for the filter in the URL; `page` pages the interactions table.
 */
import { isoDay } from '$lib/format';
import { loadPage } from '$lib/load';
import { apiFilter, readFilter } from '../../journey/url-filter';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url, fetch, params }) => {
	const page = Math.max(1, Math.min(10_000, Number(url.searchParams.get('page')) || 1));
	return loadPage(
		fetch,
		async (api) => {
			const range = await api.kpi.range.query();
			const filter = readFilter(url, range.max ?? isoDay(new Date()));
			const detail = await api.painPoints.get.query({ id: params.id, filter: apiFilter(filter), page, pageSize: 25 });
			return { id: params.id, filter, page, detail };
		},
		{ id: params.id, filter: readFilter(url, isoDay(new Date())), page, detail: null }
	);
};
