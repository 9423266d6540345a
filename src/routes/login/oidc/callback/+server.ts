/**
 * The provider sends the user back here: finish the code flow, open a Touchmap session, record the
 * sign-in, and go to the page first asked for. Refusals go back to /login with a reason.
 */
import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { finishOidc, OIDC_COOKIE, OidcRefusal, siteOrigin } from '$lib/server/auth/oidc';
import { openDb } from '$db/open';
import { env } from '$db/env';
import { audit } from '$lib/server/queries/auth/audit';
import { createSession } from '$lib/server/queries/auth/sessions';
import type { RequestHandler } from './$types';

const ChecksSchema = z.object({ verifier: z.string(), state: z.string(), nonce: z.string(), next: z.string() });

export const GET: RequestHandler = async (event) => {
	const { url, cookies } = event;
	const { client } = await openDb();
	let checks: z.infer<typeof ChecksSchema>;
	try {
		checks = ChecksSchema.parse(JSON.parse(cookies.get(OIDC_COOKIE) ?? ''));
	} catch {
		redirect(303, `/login?sso=expired`);
	}
	cookies.delete(OIDC_COOKIE, { path: '/login/oidc' });
	// The URL the provider called, as the browser saw it (the token request must repeat it).
	const callback = new URL(`${url.pathname}${url.search}`, siteOrigin(event.request, url));
	let reason = 'failed';
	try {
		const user = await finishOidc(client, callback, checks);
		const { token, expires } = await createSession(client, user.user_id, env().TOUCHMAP_SESSION_HOURS);
		setSessionCookie(cookies, url, token, expires);
		await audit(client, {
			user_id: user.user_id,
			email: user.email,
			role: user.role,
			action: 'sign_in',
			detail: 'oidc',
			ip: event.getClientAddress()
		});
		reason = '';
	} catch (err) {
		reason = err instanceof OidcRefusal ? err.message : 'failed';
		await audit(client, {
			action: 'sign_in_failed',
			detail: `oidc: ${(err as Error).message}`,
			ip: event.getClientAddress(),
			ok: false
		});
	}
	if (reason) redirect(303, `/login?sso=${encodeURIComponent(reason)}`);
	redirect(303, checks.next);
};
