/**
 * Every page's gate: signed-out visitors go to /login (and come back after), a role that may not
 * open the page gets a "no access" panel instead of it. The API and exports check on their own.
 */
import { redirect } from '@sveltejs/kit';
import { canView, isPublicPath } from '$lib/auth/access';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => {
	const user = locals.user ? { email: locals.user.email, name: locals.user.name, role: locals.user.role } : null;
	const base = { lang: locals.lang, user, authEnforced: locals.authEnforced };
	if (!locals.authEnforced || isPublicPath(url.pathname)) return { ...base, forbidden: false };
	if (!user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	return { ...base, forbidden: !canView(user.role, url.pathname) };
};
