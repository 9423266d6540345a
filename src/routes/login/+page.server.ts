/**
 * Sign-in form: works without JavaScript (a plain POST), throttled, and sends the user back to the
 * page they asked for (only ever a path on this site).
 */
import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { oidcEnabled } from '$lib/server/auth/oidc';
import { env } from '$db/env';
import { signIn } from '$lib/server/auth/sign-in';
import { openDb } from '$db/open';
import type { Actions, PageServerLoad } from './$types';

/** A local path only: "/journey?x=1" yes, "//evil.example" or "https://…" no. */
const safeNext = (next: string | null) => (next && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : '/');

export const load: PageServerLoad = ({ locals, url }) => {
	if (!locals.authEnforced || locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return {
		next: safeNext(url.searchParams.get('next')),
		sso: oidcEnabled() ? env().TOUCHMAP_OIDC_NAME : null,
		// Why single sign-on came back without a session (said by our own callback, shown as text).
		ssoError: (url.searchParams.get('sso') ?? '').slice(0, 200)
	};
};

const FormSchema = z.object({ email: z.string().trim().max(254), password: z.string().max(200) });

export const actions: Actions = {
	default: async (event) => {
		const parsed = FormSchema.safeParse(Object.fromEntries(await event.request.formData()));
		const email = parsed.success ? parsed.data.email : '';
		if (!parsed.success || !email || !parsed.data.password) return fail(400, { email, error: 'invalid' as const });
		const result = await signIn((await openDb()).client, parsed.data, event.getClientAddress());
		if (!result.ok)
			return fail(result.reason === 'throttled' ? 429 : 400, {
				email,
				error: result.reason,
				retryAfter: result.retryAfter ?? 0
			});
		setSessionCookie(event.cookies, event.url, result.token, result.expires);
		redirect(303, safeNext(event.url.searchParams.get('next')));
	}
};
