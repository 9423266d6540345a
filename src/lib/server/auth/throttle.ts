/**
 * Why this exists: slowing password guessing without letting anyone lock anyone out. Failed
 * sign-ins are counted per client address, per account and per (address, account) over a sliding
 * window; after a few, each further attempt waits — 1 s, 2 s, 4 s … up to a cap — before its
 * password is checked. Nothing is refused for failures alone: the right password still gets in
 * (after the wait), so five wrong guesses from elsewhere cannot lock an admin out, and a success
 * clears its address, so one person's typos do not slow everyone behind the same NAT. Only many
 * attempts in flight at once from one address are refused (429), which touches that address only.
 *
 * Failures while throttled are summed into one audit row per burst (see FailureBursts) instead of
 * one row each, so a guessing run cannot flood the audit log. In-process memory is enough: with
 * the embedded database one server process owns the data, and a restart only forgets recent failures.
 */
export interface ThrottleOptions {
	windowMs: number;
	/** Failures per key before attempts start to wait. */
	free: number;
	/** Longest wait for an address, an (address, account) pair, and an account. */
	maxDelayMs: { ip: number; pair: number; email: number };
	/** Attempts one address may have waiting at once; more answer 429. */
	maxPendingPerIp: number;
}

export const THROTTLE_DEFAULTS: ThrottleOptions = {
	windowMs: 15 * 60_000,
	free: 3,
	maxDelayMs: { ip: 30_000, pair: 30_000, email: 15_000 },
	maxPendingPerIp: 4
};

export type ThrottleKeys = { ip: string; email: string };

const keysOf = (k: ThrottleKeys) =>
	[
		['ip', `ip:${k.ip}`],
		['pair', `pair:${k.ip}\u0000${k.email}`],
		['email', `email:${k.email}`]
	] as const;

export class LoginThrottle {
	private failures = new Map<string, number[]>();
	private pending = new Map<string, number>();
	constructor(private opts: ThrottleOptions = THROTTLE_DEFAULTS) {}

	private recent(key: string, now: number): number[] {
		const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.opts.windowMs);
		if (list.length) this.failures.set(key, list);
		else this.failures.delete(key);
		return list;
	}

	/** How long the next attempt for these keys waits before its password is checked (ms). */
	delayMs(k: ThrottleKeys, now = Date.now()): number {
		let wait = 0;
		for (const [kind, key] of keysOf(k)) {
			const over = this.recent(key, now).length - this.opts.free;
			if (over >= 0) wait = Math.max(wait, Math.min(this.opts.maxDelayMs[kind], 1000 * 2 ** Math.min(over, 20)));
		}
		return wait;
	}

	/** Marks an attempt as waiting; false when its address already has too many waiting. */
	begin(k: ThrottleKeys): boolean {
		const n = this.pending.get(k.ip) ?? 0;
		if (n >= this.opts.maxPendingPerIp) return false;
		this.pending.set(k.ip, n + 1);
		return true;
	}

	end(k: ThrottleKeys): void {
		const n = (this.pending.get(k.ip) ?? 1) - 1;
		if (n > 0) this.pending.set(k.ip, n);
		else this.pending.delete(k.ip);
	}

	fail(k: ThrottleKeys, now = Date.now()): void {
		if (this.failures.size > 50_000) this.failures.clear();
		for (const [, key] of keysOf(k)) this.failures.set(key, [...this.recent(key, now), now]);
	}

	/** A success clears its address and its (address, account) pair; the account's count just ages out. */
	succeed(k: ThrottleKeys): void {
		this.failures.delete(`ip:${k.ip}`);
		this.failures.delete(`pair:${k.ip}\u0000${k.email}`);
	}
}

export interface Burst {
	email: string;
	ips: string[];
	attempts: number;
	first: number;
	last: number;
}

/**
 * Throttled failures of one account, summed until the account has been quiet for `quietMs` (or
 * the burst is `maxMs` long): one audit row per burst, however many guesses it held.
 */
export class FailureBursts {
	private open = new Map<string, Burst>();
	constructor(
		private quietMs = 60_000,
		private maxMs = 15 * 60_000
	) {}

	add(email: string, ip: string, now = Date.now()): void {
		const b = this.open.get(email) ?? { email, ips: [], attempts: 0, first: now, last: now };
		b.attempts++;
		b.last = now;
		if (!b.ips.includes(ip) && b.ips.length < 20) b.ips.push(ip);
		this.open.set(email, b);
		if (this.open.size > 10_000) this.open.delete(this.open.keys().next().value!);
	}

	/** Bursts that are over by `now` (all of them with Infinity), taken out. */
	due(now = Date.now()): Burst[] {
		const out: Burst[] = [];
		for (const [email, b] of this.open)
			if (now - b.last >= this.quietMs || now - b.first >= this.maxMs) {
				out.push(b);
				this.open.delete(email);
			}
		return out;
	}

	get size(): number {
		return this.open.size;
	}
}

/** One audit line for a burst: "throttled: 57 failed attempts from 2 addresses, 10:01:02–10:05:40 UTC". */
export function describeBurst(b: Burst): string {
	const time = (ms: number) => new Date(ms).toISOString().slice(11, 19);
	const from = b.ips.length === 1 ? '1 address' : `${b.ips.length}${b.ips.length === 20 ? '+' : ''} addresses`;
	return `throttled: ${b.attempts} failed attempt${b.attempts === 1 ? '' : 's'} from ${from}, ${time(b.first)}–${time(b.last)} UTC`;
}

export const loginThrottle = new LoginThrottle();
export const failureBursts = new FailureBursts();
