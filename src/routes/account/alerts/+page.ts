import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ fetch }) =>
	loadPage(fetch, async (api) => ({ mine: await api.alerts.mySubscription.query() }), { mine: null });
