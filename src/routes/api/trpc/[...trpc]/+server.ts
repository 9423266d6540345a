/**
 * Why this exists: serves the tRPC router at /api/trpc (GET for queries, POST for mutations), with
 * the caller's session in the context so every procedure's access is checked (trpc/init.ts).
 */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { openDb } from '$db/open';
import { budgetedDb } from '$lib/server/http/query-budget';
import { MAX_BATCH } from '$lib/server/http/rate-limit';
import { appRouter } from '$lib/server/trpc/router';

const handler: RequestHandler = (event) =>
	fetchRequestHandler({
		endpoint: '/api/trpc',
		req: event.request,
		router: appRouter,
		// A batch counts as its calls toward the rate limit (hooks.server.ts); this caps one request's share.
		maxBatchSize: MAX_BATCH,
		createContext: async () => ({
			db: budgetedDb(await openDb(), event.locals.user?.user_id ?? event.getClientAddress()),
			auth: {
				user: event.locals.user,
				enforced: event.locals.authEnforced,
				ip: event.getClientAddress(),
				token: event.locals.sessionToken,
				setSession: (token, expires) => setSessionCookie(event.cookies, event.url, token, expires)
			}
		}),
		onError({ error, path }) {
			if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
		}
	});

export const GET = handler;
export const POST = handler;
