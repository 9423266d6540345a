/**
 * Why this exists: every page's `load` makes a few tRPC calls and, when one fails, must still give
 * the page something to render — its fallback values and a typed error (message, tRPC code and
 * HTTP status) that ErrorState shows with a retry. Written once here instead of a try/catch per
 * page. SvelteKit's own redirects and errors pass through untouched.
 */
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { trpc } from '$lib/trpc';

export type Api = ReturnType<typeof trpc>;

export interface LoadError {
	message: string;
	/** The tRPC error code, e.g. `BAD_REQUEST`, `NOT_FOUND`, `FORBIDDEN`. */
	code: string;
	/** The HTTP status the API answered with (500 when it did not answer). */
	status: number;
}

/** What a page gets: the calls' results, or its fallback values with the error. */
export type Loaded<T, F> = (T & { error: null }) | (F & { error: LoadError });

export async function loadPage<T extends object, F extends object>(
	fetch: typeof globalThis.fetch,
	run: (api: Api) => Promise<T>,
	fallback: F
): Promise<Loaded<T, F>> {
	try {
		return { ...(await run(trpc(fetch))), error: null };
	} catch (err) {
		if (isRedirect(err) || isHttpError(err)) throw err;
		return { ...fallback, error: toLoadError(err) };
	}
}

/** A TRPCClientError (or anything else thrown) as a LoadError. */
export function toLoadError(err: unknown): LoadError {
	const data = (err as { data?: { code?: unknown; httpStatus?: unknown } } | null)?.data;
	return {
		message: err instanceof Error ? err.message : String(err),
		code: typeof data?.code === 'string' ? data.code : 'INTERNAL_SERVER_ERROR',
		status: typeof data?.httpStatus === 'number' ? data.httpStatus : 500
	};
}
