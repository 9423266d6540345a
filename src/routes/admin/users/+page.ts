import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ fetch }) =>
	loadPage(fetch, async (api) => ({ users: await api.auth.users.query() }), { users: [] });
