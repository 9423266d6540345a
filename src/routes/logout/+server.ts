/**
 * Signing out: revokes the session on the server (not only the cookie), records it, and goes back
 * to the sign-in page. POST only, so a link or an image on another site cannot sign anyone out.
 */
import { redirect } from '@sveltejs/kit';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { openDb } from '$db/open';
import { audit } from '$lib/server/queries/auth/audit';
import { revokeSession } from '$lib/server/queries/auth/sessions';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const { locals } = event;
	if (locals.user && locals.sessionToken) {
		const { client } = await openDb();
		await revokeSession(client, locals.sessionToken, locals.user.user_id);
		await audit(client, {
			user_id: locals.user.user_id,
			email: locals.user.email,
			role: locals.user.role,
			action: 'sign_out',
			ip: event.getClientAddress()
		});
	}
	setSessionCookie(event.cookies, event.url, null);
	redirect(303, '/login');
};
