/**
 * The journey map's data: the filter comes from the URL, the cells and pain points from tRPC,
 * with the rules and severity settings in force for the read-only "how it is assigned" view.
 */
import { isoDay } from '$lib/format';
import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';
import { apiFilter, readFilter } from './url-filter';

export const load: PageLoad = ({ url, fetch }) => {
	const focus = url.searchParams.get('focus') ?? '';
	return loadPage(
		fetch,
		async (api) => {
			const range = await api.kpi.range.query();
			const filter = readFilter(url, range.max ?? isoDay(new Date()));
			const [map, settings, actions] = await Promise.all([
				api.journey.map.query(apiFilter(filter)),
				api.journey.settings.query(),
				// Actions mark their touchpoint; the map still draws when they cannot be read.
				api.actions.list.query({}).catch(() => [])
			]);
			return { filter, range, map, settings, focus, actions };
		},
		{ filter: readFilter(url, isoDay(new Date())), range: null, map: null, settings: null, focus, actions: [] }
	);
};
