import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ fetch }) =>
	loadPage(
		fetch,
		async (api) => {
			const [rules, destinations, deliveries, config] = await Promise.all([
				api.alerts.rules.query(),
				api.alerts.destinations.query(),
				api.alerts.deliveries.query({ limit: 100 }),
				api.alerts.config.query()
			]);
			return { rules, destinations, deliveries, config };
		},
		{ rules: [], destinations: [], deliveries: [], config: null }
	);
