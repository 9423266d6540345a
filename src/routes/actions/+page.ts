/**
 * The actions list with each done action's measured effect. `?new=<pain-point id>&name=<label>`
 * opens the form for a new action on that pain point (the links on pain points and reasons).
 */
import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url, fetch }) => {
	const target = url.searchParams.get('new') ?? '';
	const name = url.searchParams.get('name') ?? '';
	return loadPage(fetch, async (api) => ({ target, name, actions: await api.actions.list.query({}) }), {
		target,
		name,
		actions: null
	});
};
