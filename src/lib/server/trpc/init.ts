/**
 * Why this exists: tRPC is initialised once here, with the procedures every router builds on,
 * each named for what it does. Context carries the database; the error formatter turns zod
 * failures into one readable message (400) and never sends a stack trace.
 *
 * Which role may call what is one table, by procedure path, in $lib/auth/access (the navigation and
 * the role-matrix tests read the same table): `authorisedProcedure` asks it, so an admin-only
 * procedure is one the table lists as admin-only (every mutation, unless listed otherwise).
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { canCall } from '$lib/auth/access';
import type { Db } from '$db/client';
import { answer, answersKept, newEpoch } from './answer-cache';
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

/** A mutation that succeeded may have changed what a kept answer says: kept answers age out. */
const startNewEpochAfterMutation = t.middleware(async ({ type, next }) => {
	const result = await next();
	if (type === 'mutation' && result.ok) newEpoch();
	return result;
});

/**
 * Over HTTP with sign-in on: signed-out callers get 401, roles the access table does not allow for
 * this path 403 — before the input is parsed.
 */
const signedInWithRole = t.middleware(({ ctx, path, type, next }) => {
	const auth = ctx.auth;
	if (auth?.enforced) {
		if (!auth.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
		if (!canCall(auth.user.role, path, type))
			throw new TRPCError({ code: 'FORBIDDEN', message: `The ${auth.user.role} role cannot use ${path}.` });
	}
	return next();
});

/** Over HTTP: the answer is kept per (data version, epoch, role, path, input) (answer-cache.ts). */
const keepAnswers = t.middleware(async ({ ctx, path, type, next, getRawInput }) => {
	if (!ctx.auth || type !== 'query' || !answersKept()) return next();
	const input = await getRawInput().catch(() => undefined);
	return answer(ctx.db.client, { role: ctx.auth.user?.role ?? '', path, input }, () => next());
});

/** Over HTTP with sign-in on: a successful change is written to the audit log with its input. */
const auditChange = t.middleware(async ({ ctx, path, next, getRawInput }) => {
	const result = await next();
	const user = ctx.auth?.enforced ? ctx.auth.user : null;
	if (user && result.ok) {
		const input = await getRawInput().catch(() => undefined);
		await audit(ctx.db.client, {
			user_id: user.user_id,
			email: user.email,
			role: user.role,
			action: 'change',
			target: path,
			detail: JSON.stringify(input, (k, v) => (/password/i.test(k) ? '***' : v)) ?? '',
			ip: ctx.auth?.ip ?? ''
		});
	}
	return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const signedIn = t.procedure.use(signedInWithRole);
/** Callable signed out: signing in, and asking who is signed in. */
export const publicProcedure = t.procedure.use(startNewEpochAfterMutation);
/** Signed in, with a role the access table allows for this procedure's path. */
export const authorisedProcedure = signedIn.use(startNewEpochAfterMutation);
/** An authorised query whose answer depends only on the stored data, settings and input: kept. */
export const cachedQuery = authorisedProcedure.use(keepAnswers);
/**
 * An authorised change, recorded in the audit log (the few mutations that write a more specific
 * entry of their own, or none, use authorisedProcedure).
 */
export const auditedMutation = signedIn.use(auditChange).use(startNewEpochAfterMutation);
export { z };
