/**
 * The Admin entry of the navigation opens the first admin tab, the ingest sources.
 */
import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = () => {
	redirect(307, '/admin/sources');
};
