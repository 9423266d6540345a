/**
 * The contact reasons of the range in the URL (the last 90 days of data by default), ranked by
 * volume or by negativity (`sort=negative`).
 */
import { isoDay } from '$lib/format';
import { loadPage } from '$lib/load';
import { readFilter } from '../journey/url-filter';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url, fetch }) => {
	const sort = url.searchParams.get('sort') === 'negative' ? ('negative' as const) : ('volume' as const);
	return loadPage(
		fetch,
		async (api) => {
			const range = await api.kpi.range.query();
			const filter = readFilter(url, range.max ?? isoDay(new Date()));
			return { filter, sort, range, list: await api.reasons.list.query({ from: filter.from, to: filter.to }) };
		},
		{ filter: readFilter(url, isoDay(new Date())), sort, range: null, list: null }
	);
};
