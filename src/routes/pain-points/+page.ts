/**
 * The ranked pain points for the filter in the URL.
 */
import { isoDay } from '$lib/format';
import { trpc } from '$lib/trpc';
import { apiFilter, readFilter } from '../journey/url-filter';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, fetch }) => {
	const api = trpc(fetch);
	try {
		const range = await api.kpi.range.query();
		const filter = readFilter(url, range.max ?? isoDay(new Date()));
		const list = await api.painPoints.list.query(apiFilter(filter));
		return { filter, range, list, error: null };
	} catch (err) {
		return { filter: readFilter(url, isoDay(new Date())), range: null, list: null, error: (err as Error).message };
	}
};
