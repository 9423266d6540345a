import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
	try {
		return { users: await trpc(fetch).auth.users.query(), error: null };
	} catch (err) {
		return { users: [], error: (err as Error).message };
	}
};
