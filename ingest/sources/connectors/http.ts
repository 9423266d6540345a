/**
 * Why this exists: every API connector talks to a vendor over HTTP, and vendors fail in the same
 * few ways — slow answers, 429 rate limits, 5xx outages, truncated or non-JSON bodies. This helper
 * handles them once: a timeout per attempt, retries with exponential backoff and full jitter,
 * `Retry-After` honoured on 429/503, and a typed error that says what finally went wrong.
 */

export interface HttpOptions {
	/** Per-attempt timeout (ms). */
	timeoutMs?: number;
	/** Attempts in all (first try included). */
	attempts?: number;
	/** Base of the exponential backoff (ms). */
	backoffMs?: number;
	/** Upper bound of one wait (ms), Retry-After included. */
	maxWaitMs?: number;
	headers?: Record<string, string>;
	/** Injected for tests (defaults to setTimeout). */
	sleep?: (ms: number) => Promise<void>;
	random?: () => number;
}

export class HttpError extends Error {
	constructor(
		message: string,
		/** HTTP status, or 0 for a network error / timeout, -1 for a body that is not JSON. */
		public readonly status: number,
		/** The body of the last answer (for quarantine), when there was one. */
		public readonly body = '',
		public readonly url = ''
	) {
		super(message);
	}
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
	if (!header) return undefined;
	const s = Number(header);
	if (Number.isFinite(s)) return Math.max(0, s * 1000);
	const t = Date.parse(header);
	return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

/** Full jitter: a random wait in [0, base·2^attempt], capped. */
export function backoff(attempt: number, base: number, cap: number, random = Math.random): number {
	return Math.min(cap, Math.floor(random() * base * 2 ** attempt));
}

const retryable = (status: number) =>
	status === 0 || status === -1 || status === 408 || status === 429 || status >= 500;

/** GETs a URL and parses JSON, retrying what is worth retrying. */
export async function getJson<T = unknown>(url: string, opts: HttpOptions = {}): Promise<T> {
	const text = await getText(url, opts, true);
	return JSON.parse(text) as T;
}

/** GETs a URL's body as text; with `json`, a body that does not parse counts as a failed attempt. */
export async function getText(url: string, opts: HttpOptions = {}, json = false): Promise<string> {
	const attempts = opts.attempts ?? 5;
	const base = opts.backoffMs ?? 500;
	const cap = opts.maxWaitMs ?? 60_000;
	const sleep = opts.sleep ?? defaultSleep;
	let last: HttpError | undefined;
	for (let attempt = 0; attempt < attempts; attempt++) {
		let wait: number | undefined;
		try {
			const res = await fetch(url, {
				headers: { accept: 'application/json', ...opts.headers },
				signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000)
			});
			// The body is read under the same timeout: a server that stalls mid-body is a timeout too.
			const body = await res.text();
			if (res.ok) {
				if (!json) return body;
				try {
					JSON.parse(body);
					return body;
				} catch (err) {
					last = new HttpError(`body is not valid JSON (${(err as Error).message}) from ${url}`, -1, body, url);
				}
			} else {
				last = new HttpError(`HTTP ${res.status} from ${url}`, res.status, body, url);
				if (res.status === 429 || res.status === 503) wait = retryAfterMs(res.headers.get('retry-after'));
			}
		} catch (err) {
			const e = err as Error;
			const what = e.name === 'TimeoutError' || e.name === 'AbortError' ? 'timed out' : e.message;
			last = new HttpError(`${what} (${url})`, 0, '', url);
		}
		if (!retryable(last.status) || attempt === attempts - 1) break;
		await sleep(Math.min(cap, wait ?? backoff(attempt, base, cap, opts.random)));
	}
	throw last ?? new HttpError(`${url}: no attempt made`, 0);
}
