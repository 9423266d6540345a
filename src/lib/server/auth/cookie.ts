/**
 * Why this exists: the session cookie's name and flags in one place — http-only (no script can
 * read it), same-site lax (not sent on cross-site posts), secure over HTTPS, expiring with the
 * session.
 */
import type { Cookies } from '@sveltejs/kit';
import { env } from '$db/env';

export const SESSION_COOKIE = 'touchmap_session';

export function setSessionCookie(cookies: Cookies, url: URL, token: string | null, expires?: Date): void {
	const mode = env().TOUCHMAP_SECURE_COOKIES;
	// TRICKY: adapter-node reports https whenever neither ORIGIN nor PROTOCOL_HEADER says otherwise,
	// so 'auto' trusts the protocol only when the deployment has configured one of them; a plain
	// `npm start` on http would otherwise get a Secure cookie the browser drops off localhost.
	const configured = Boolean(process.env.ORIGIN || process.env.PROTOCOL_HEADER);
	const secure = mode === 'always' || (mode === 'auto' && configured && url.protocol === 'https:');
	if (token === null) {
		cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
		return;
	}
	cookies.set(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires });
}
