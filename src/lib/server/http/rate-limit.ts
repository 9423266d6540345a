/**
 * Why this exists: a token bucket per client address for the API, so one client (a script gone
 * wrong, a scraper) cannot starve the dashboard for everyone. Refills at `rate` per second up to a
 * burst of 10× that; past it the API answers 429 with Retry-After.
 */
export class RateLimiter {
	private buckets = new Map<string, { tokens: number; at: number }>();
	constructor(
		private rate: number,
		private burst = rate * 10
	) {}

	/** 0 when the request may go ahead, else seconds until it may. */
	take(key: string, now = Date.now()): number {
		if (this.buckets.size > 100_000) this.buckets.clear();
		const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
		b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
		b.at = now;
		this.buckets.set(key, b);
		if (b.tokens >= 1) {
			b.tokens -= 1;
			return 0;
		}
		return Math.ceil((1 - b.tokens) / this.rate);
	}
}
