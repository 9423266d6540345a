/** The journey rules and custom intents in force, and how far applying them to stored data is. */
import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ fetch }) =>
	loadPage(
		fetch,
		async (api) => {
			const [settings, status] = await Promise.all([api.journey.settings.query(), api.journey.applyStatus.query()]);
			return { settings, status };
		},
		{ settings: null, status: null }
	);
