/**
 * Why this exists: login throttling against password guessing. Failed sign-ins are counted per
 * client address and per account over a sliding window; past the limit, sign-in answers 429 with
 * how long to wait, whether or not the password is right. In-process memory is enough: with the
 * embedded database one server process owns the data, and a restart only forgets recent failures.
 */
export interface ThrottleOptions {
	maxFailures: number;
	windowMs: number;
}

export class LoginThrottle {
	private failures = new Map<string, number[]>();
	constructor(private opts: ThrottleOptions = { maxFailures: 5, windowMs: 15 * 60_000 }) {}

	private recent(key: string, now: number): number[] {
		const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.opts.windowMs);
		if (list.length) this.failures.set(key, list);
		else this.failures.delete(key);
		return list;
	}

	/** Seconds to wait before another attempt for these keys, or 0 when allowed. */
	retryAfter(keys: string[], now = Date.now()): number {
		let wait = 0;
		for (const key of keys) {
			const list = this.recent(key, now);
			if (list.length >= this.opts.maxFailures) {
				const oldest = list[list.length - this.opts.maxFailures]!;
				wait = Math.max(wait, Math.ceil((oldest + this.opts.windowMs - now) / 1000));
			}
		}
		return wait;
	}

	fail(keys: string[], now = Date.now()): void {
		if (this.failures.size > 50_000) this.failures.clear();
		for (const key of keys) this.failures.set(key, [...this.recent(key, now), now]);
	}

	succeed(keys: string[]): void {
		for (const key of keys) this.failures.delete(key);
	}
}

export const loginThrottle = new LoginThrottle();
