/**
 * Why this exists: the contract between a connector (which knows one vendor's API) and the runner
 * (which knows mapping, quarantine, loading and cursors). A connector only pages through a source
 * from a cursor; it never writes anything, so every source gets the same no-loss guarantees.
 */
import type { z } from 'zod';
import type { HttpOptions } from './http';

/** A record the connector could not even turn into an object (a broken CSV line, a non-JSON line). */
export interface RejectedItem {
	line: number;
	raw: string;
	reason: string;
}

export interface Page {
	records: Record<string, unknown>[];
	rejected?: RejectedItem[];
	/** The cursor to resume from once this page is stored (opaque to the runner; JSON by convention). */
	cursor: string;
	/** Where the page came from (URL or file); quarantine rows name it. Stable for the same page. */
	label: string;
}

export interface PullContext<O> {
	options: O;
	/** Timeouts, retries and auth headers for this source. */
	http: HttpOptions;
}

export interface Connector<O = unknown> {
	kind: string;
	/** Validates the source's `options` from the sources file. */
	options: z.ZodType<O>;
	/** Pages from `cursor` (undefined on the first run) to the end of what is available now. */
	pull(cursor: string | undefined, ctx: PullContext<O>): AsyncGenerator<Page>;
}

/** Reads a JSON cursor, tolerating an empty or foreign one (start over rather than crash). */
export function readCursor<T extends object>(cursor: string | undefined): Partial<T> {
	if (!cursor) return {};
	try {
		const v: unknown = JSON.parse(cursor);
		return v && typeof v === 'object' ? (v as Partial<T>) : {};
	} catch {
		return {};
	}
}

/** The newer of two post ids: 64-bit snowflakes, compared as big integers, not numbers. */
export const newerId = (a: string | undefined, b: string | undefined) =>
	!b ? a : !a ? b : BigInt(a) > BigInt(b) ? a : b;

/** Joins a base URL and a path or absolute URL returned by an API. */
export function resolveUrl(base: string, pathOrUrl: string): string {
	return new URL(pathOrUrl, base.endsWith('/') ? base : `${base}/`).toString();
}
