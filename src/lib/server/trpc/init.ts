/**
 * Why this exists: tRPC is initialised once here. Context carries the database; the error
 * formatter turns zod failures into one readable message (400) and never sends a stack trace.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { canCall } from '$lib/auth/access';
import type { Db } from '$db/client';
import { answer, isCached, newEpoch } from './answer-cache';
import { audit } from '../queries/auth/audit';
import type { SessionUser } from '../queries/auth/sessions';

export interface Context {
	db: Db;
	/**
	 * Set for every request that arrives over HTTP (the API route fills it from the session
	 * cookie). In-process callers — tests through `createCaller`, server-side jobs — leave it unset
	 * and are trusted: only server code can make such calls.
	 */
	auth?: {
		user: SessionUser | null;
		/** false only with TOUCHMAP_AUTH=off (local demos). */
		enforced: boolean;
		ip: string;
		/** Sets or clears the session cookie (sign-in, sign-out). */
		setSession?: (token: string | null, expires?: Date) => void;
		/** The request's own session token, for signing out. */
		token?: string;
	};
}

const t = initTRPC.context<Context>().create({
	// Plain JSON (no transformer) so the API can be called with curl.
	isDev: false,
	errorFormatter({ shape, error }) {
		const zod = error.cause instanceof ZodError ? error.cause : undefined;
		return {
			...shape,
			message: zod ? readable(zod) : shape.data.code === 'INTERNAL_SERVER_ERROR' ? 'Internal error' : shape.message,
			data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path }
		};
	}
});

/** "from: Invalid ISO date; channels.0: Invalid option: expected one of …" */
export function readable(err: ZodError): string {
	return err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/**
 * Every procedure passes here first, before its input is parsed: signed-out callers get 401,
 * roles without access 403 (auth/access.ts decides by the procedure's path), each successful
 * mutation is written to the audit log with its input, and the dashboard areas' query answers are
 * kept (answer-cache.ts) for calls over HTTP.
 */
const guarded = t.procedure.use(async ({ ctx, path, type, next, getRawInput }) => {
	const auth = ctx.auth;
	if (!auth) {
		const result = await next();
		if (type === 'mutation' && result.ok) newEpoch();
		return result;
	}
	const checked = auth.enforced && !PUBLIC_PROCEDURES.has(path);
	if (checked) {
		if (!auth.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
		if (!canCall(auth.user.role, path, type)) {
			throw new TRPCError({ code: 'FORBIDDEN', message: `The ${auth.user.role} role cannot use ${path}.` });
		}
	}
	if (isCached(path, type)) {
		const input = await getRawInput().catch(() => undefined);
		return answer(ctx.db.client, { role: auth.user?.role ?? '', path, input }, () => next());
	}
	const result = await next();
	if (type === 'mutation' && result.ok) newEpoch();
	if (checked && auth.user && type === 'mutation' && result.ok && !QUIET_MUTATIONS.has(path)) {
		const input = await getRawInput().catch(() => undefined);
		await audit(ctx.db.client, {
			user_id: auth.user.user_id,
			email: auth.user.email,
			role: auth.user.role,
			action: 'change',
			target: path,
			detail: JSON.stringify(input, (k, v) => (/password/i.test(k) ? '***' : v)) ?? '',
			ip: auth.ip
		});
	}
	return result;
});

/** Callable signed out (signing in is one). */
const PUBLIC_PROCEDURES = new Set(['auth.signIn', 'auth.me']);
/** Mutations that write their own, more specific audit entries. */
const QUIET_MUTATIONS = new Set(['auth.signIn', 'auth.signOut', 'privacy.revealCustomer']);

export const router = t.router;
/** The procedure every router builds on; access is checked above, by path. */
export const procedure = guarded;
/** The same procedure under the name the first routers used ("public" = part of the API). */
export const publicProcedure = guarded;
export const createCallerFactory = t.createCallerFactory;
export { z };
