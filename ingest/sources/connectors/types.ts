/**
 * Why this exists: the contract between a connector (which knows one vendor's API) and the runner
 * (which knows mapping, quarantine, loading and cursors). A connector only pages through a source
 * from a cursor; it never writes anything, so every source gets the same no-loss guarantees.
 */
import type { z } from 'zod';
import { getJson, type HttpOptions } from './http';

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

/**
 * A connector whose cursor is a JSON object, as every API connector's is: `pull` gets it parsed
 * (`{}` on the first run, or for a cursor that is not its own).
 */
export function apiConnector<O, C extends object>(
	kind: string,
	options: z.ZodType<O>,
	pull: (cursor: Partial<C>, ctx: PullContext<O>) => AsyncGenerator<Page>
): Connector<O> {
	return { kind, options, pull: (cursor, ctx) => pull(readCursor<C>(cursor), ctx) };
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

/** One answer of a paged API, as a connector read it. */
export interface ApiPage {
	url: string;
	records: Record<string, unknown>[];
	/** Where the next page is (a token, cursor or URL); undefined or '' after the last page. */
	next?: string;
	/** The cursor to store once this page is loaded: resumes at `next`, or the high-water mark after the last page. */
	cursor: object;
}

/**
 * The paging loop of the API connectors: reads the page at `start` (undefined: the first page),
 * yields its records with the cursor to store, and follows `next` until a page has none.
 */
export async function* followPages(
	start: string | undefined,
	read: (at: string | undefined) => Promise<ApiPage>
): AsyncGenerator<Page> {
	for (let at = start; ;) {
		const page = await read(at);
		yield { records: page.records, cursor: JSON.stringify(page.cursor), label: page.url };
		if (!page.next) return;
		at = page.next;
	}
}

/** GETs one answer and checks that it carries its records as an array under `field`. */
export async function getRecords<A extends object>(
	url: string,
	http: HttpOptions,
	field: keyof A & string
): Promise<A> {
	const page = await getJson<A>(url, http);
	if (!Array.isArray(page?.[field])) throw new Error(`${url}: answer has no ${field} array`);
	return page;
}
