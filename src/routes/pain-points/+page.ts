/**
 * The ranked pain points for the filter in the URL, by touchpoint or (`by=reason`) by contact reason.
 */
import { isoDay } from '$lib/format';
import { loadPage } from '$lib/load';
import { apiFilter, readFilter } from '../journey/url-filter';
import { readBy } from './by';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url, fetch }) =>
	loadPage(
		fetch,
		async (api) => {
			const range = await api.kpi.range.query();
			const filter = readFilter(url, range.max ?? isoDay(new Date()));
			const by = readBy(url);
			return { filter, by, range, list: await api.painPoints.list.query({ ...apiFilter(filter), by }) };
		},
		{ filter: readFilter(url, isoDay(new Date())), by: readBy(url), range: null, list: null }
	);
