/**
 * Why this exists: optional single sign-on through an OpenID Connect provider (Keycloak, Entra ID,
 * Okta, Google Workspace, …) with `openid-client`: authorization-code flow with PKCE, state and
 * nonce; the ID token's verified email names the Touchmap user. Accounts are matched by email; a
 * first sign-in creates one only when TOUCHMAP_OIDC_DEFAULT_ROLE (or the role claim) says which
 * role, so turning SSO on never silently lets a whole company in.
 */
import * as oidc from 'openid-client';
import type { ClickHouseClient } from '@clickhouse/client';
import { ROLES, type Role } from '$lib/auth/access';
import { env } from '$db/env';
import { findUserByEmail, saveUser, type UserRow } from '../queries/auth/users';

/** Holds PKCE verifier, state, nonce and the page to return to while the user is at the provider. */
export const OIDC_COOKIE = 'touchmap_oidc';

let config: Promise<oidc.Configuration> | undefined;

export function oidcEnabled(): boolean {
	const e = env();
	return Boolean(e.TOUCHMAP_OIDC_ISSUER && e.TOUCHMAP_OIDC_CLIENT_ID);
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

function configuration(): Promise<oidc.Configuration> {
	const e = env();
	const issuer = new URL(e.TOUCHMAP_OIDC_ISSUER!);
	config ??= oidc
		.discovery(
			issuer,
			e.TOUCHMAP_OIDC_CLIENT_ID!,
			e.TOUCHMAP_OIDC_CLIENT_SECRET,
			undefined,
			// Plain http only for a provider on this machine (development, tests); never across a network.
			issuer.protocol === 'http:' && LOOPBACK.test(issuer.hostname) ? { execute: [oidc.allowInsecureRequests] } : {}
		)
		.catch((err) => {
			config = undefined;
			throw err;
		});
	return config;
}

/**
 * This site's origin as the browser sees it, for the redirect URI. TRICKY: adapter-node assumes
 * https unless ORIGIN or PROTOCOL_HEADER is set, which would send a plain-http install's users to
 * an https URL that does not answer; without either, the request's own Host over http is used.
 */
export function siteOrigin(request: Request, url: URL): string {
	if (process.env.ORIGIN) return process.env.ORIGIN.replace(/\/$/, '');
	if (process.env.PROTOCOL_HEADER) return url.origin;
	return `http://${request.headers.get('host') ?? url.host}`;
}

export interface OidcStart {
	url: URL;
	/** Kept in a short-lived http-only cookie until the provider sends the user back. */
	checks: { verifier: string; state: string; nonce: string; next: string };
}

export async function startOidc(redirectUri: string, next: string): Promise<OidcStart> {
	const cfg = await configuration();
	const verifier = oidc.randomPKCECodeVerifier();
	const state = oidc.randomState();
	const nonce = oidc.randomNonce();
	const url = oidc.buildAuthorizationUrl(cfg, {
		redirect_uri: redirectUri,
		scope: 'openid email profile',
		code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256',
		state,
		nonce
	});
	return { url, checks: { verifier, state, nonce, next } };
}

export class OidcRefusal extends Error {}

/** Finishes the code flow and returns the Touchmap user it signs in (created if the rules allow). */
export async function finishOidc(
	client: ClickHouseClient,
	callbackUrl: URL,
	checks: OidcStart['checks']
): Promise<UserRow> {
	const cfg = await configuration();
	const tokens = await oidc.authorizationCodeGrant(cfg, callbackUrl, {
		pkceCodeVerifier: checks.verifier,
		expectedState: checks.state,
		expectedNonce: checks.nonce,
		idTokenExpected: true
	});
	const claims = tokens.claims();
	const email = typeof claims?.email === 'string' ? claims.email.toLowerCase() : '';
	if (!email) throw new OidcRefusal('The provider did not say who you are (no email in the ID token).');
	if (claims?.email_verified === false) throw new OidcRefusal('Your email is not verified at the provider.');
	const existing = await findUserByEmail(client, email);
	if (existing) {
		if (existing.disabled) throw new OidcRefusal('This account is disabled.');
		return existing;
	}
	const role = roleFromClaims(claims as Record<string, unknown>) ?? env().TOUCHMAP_OIDC_DEFAULT_ROLE;
	if (!role) throw new OidcRefusal(`There is no Touchmap account for ${email}; ask an administrator.`);
	const name = typeof claims?.name === 'string' ? claims.name : email;
	return saveUser(client, { email, name, role, disabled: false });
}

function roleFromClaims(claims: Record<string, unknown>): Role | undefined {
	const key = env().TOUCHMAP_OIDC_ROLE_CLAIM;
	if (!key) return undefined;
	const value = claims[key];
	const values = Array.isArray(value) ? value : [value];
	return ROLES.find((r) => values.includes(r));
}
