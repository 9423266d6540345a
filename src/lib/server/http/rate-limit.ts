/**
 * Why this exists: a token bucket per user for the API (per client address for calls without a
 * session), so one client (a script gone wrong, a scraper) cannot starve the dashboard for
 * everyone: colleagues behind one office address each keep their own rate, and one user cannot
 * multiply theirs by calling from several addresses. Refills at `rate` per second up to a burst of
 * 10× that; past it the API answers 429 with Retry-After. A batched request costs one token per
 * call it names, so batching does not multiply the rate.
 */

/** The most calls one batched API request may name (the browser client batches at most this many). */
export const MAX_BATCH = 20;

/** The calls an API request names: `/api/trpc/a,b,c?batch=1` is three. */
export function callsIn(url: URL): number {
	if (url.searchParams.get('batch') !== '1') return 1;
	return Math.max(1, url.pathname.slice(url.pathname.lastIndexOf('/') + 1).split(',').length);
}

/** Whose bucket a call takes from: the signed-in user's, else its address's. */
export function limitKey(userId: string | undefined, address: string): string {
	return userId ? `user:${userId}` : `ip:${address}`;
}

export class RateLimiter {
	private buckets = new Map<string, { tokens: number; at: number }>();
	constructor(
		private rate: number,
		private burst = rate * 10
	) {}

	/** 0 when a request costing `cost` tokens may go ahead, else seconds until it may. */
	take(key: string, now = Date.now(), cost = 1): number {
		if (this.buckets.size > 100_000) this.buckets.clear();
		const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
		b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
		b.at = now;
		this.buckets.set(key, b);
		const c = Math.min(cost, this.burst); // a batch larger than a full bucket still gets through, at its fullest
		if (b.tokens >= c) {
			b.tokens -= c;
			return 0;
		}
		return Math.max(1, Math.ceil((c - b.tokens) / this.rate));
	}
}
