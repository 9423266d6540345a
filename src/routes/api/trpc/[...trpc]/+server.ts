/**
 * Why this exists: serves the tRPC router at /api/trpc (GET for queries, POST for mutations).
 */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { openDb } from '$lib/server/db/open';
import { appRouter } from '$lib/server/trpc/router';

const handler: RequestHandler = ({ request }) =>
	fetchRequestHandler({
		endpoint: '/api/trpc',
		req: request,
		router: appRouter,
		createContext: async () => ({ db: await openDb() }),
		onError({ error, path }) {
			if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
		}
	});

export const GET = handler;
export const POST = handler;
