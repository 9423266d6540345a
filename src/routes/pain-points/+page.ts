/**
 * The ranked pain points for the filter in the URL.
 */
import { isoDay } from '$lib/format';
import { loadPage } from '$lib/load';
import { apiFilter, readFilter } from '../journey/url-filter';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url, fetch }) =>
	loadPage(
		fetch,
		async (api) => {
			const range = await api.kpi.range.query();
			const filter = readFilter(url, range.max ?? isoDay(new Date()));
			return { filter, range, list: await api.painPoints.list.query(apiFilter(filter)) };
		},
		{ filter: readFilter(url, isoDay(new Date())), range: null, list: null }
	);
