/**
 * Why this exists: the typed API client pages use in their `load` functions (never raw fetch or
 * SQL). Plain JSON, matching the server (no transformer); batches no larger than the server takes
 * (MAX_BATCH in $lib/server/http/rate-limit).
 */
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '$lib/server/trpc/router';

type Fetch = typeof fetch;

export function trpc(fetchFn: Fetch = fetch) {
	return createTRPCClient<AppRouter>({
		links: [httpBatchLink({ url: '/api/trpc', fetch: fetchFn, maxURLLength: 4000, maxItems: 20 })]
	});
}
