/**
 * Starts single sign-on: remembers PKCE verifier, state, nonce and where to go back in a
 * short-lived http-only cookie, then sends the browser to the provider.
 */
import { error, redirect } from '@sveltejs/kit';
import { OIDC_COOKIE, oidcEnabled, siteOrigin, startOidc } from '$lib/server/auth/oidc';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, cookies, request }) => {
	if (!oidcEnabled()) error(404, 'Single sign-on is not configured.');
	const next = url.searchParams.get('next') ?? '/';
	const { url: to, checks } = await startOidc(
		`${siteOrigin(request, url)}/login/oidc/callback`,
		/^\/(?!\/)/.test(next) ? next : '/'
	);
	cookies.set(OIDC_COOKIE, JSON.stringify(checks), {
		path: '/login/oidc',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:' && Boolean(process.env.ORIGIN || process.env.PROTOCOL_HEADER),
		maxAge: 600
	});
	redirect(303, to.href);
};
