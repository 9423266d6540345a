/**
 * The Admin entry of the navigation opens the ingest sources page (the only admin page so far).
 */
import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = () => {
	redirect(307, '/admin/sources');
};
