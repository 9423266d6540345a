/**
 * Why this exists: one request must not be able to hold the database for everyone. Every query an
 * API request (or a file export) runs goes through here: it waits its turn in a queue that is fair
 * between users (round robin; one user holds at most all slots but one), and it runs under the
 * request's time and memory budget (ClickHouse `max_execution_time`, `max_memory_usage`). A request
 * past its budget answers 422 with what to do, instead of hanging or taking the server down.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { TRPCError } from '@trpc/server';
import { WRAPPED_CLIENT, type Db } from '$db/client';
import { env } from '$db/env';

export interface Budget {
	/** Wall time the request's queries may take together. */
	seconds: number;
	/** Memory each query may use. */
	bytes: number;
	/** Longest a query waits for a turn before the request is refused with 503 (default: no limit). */
	waitSeconds?: number;
}

/** ClickHouse's codes for a stopped query: TIMEOUT_EXCEEDED, MEMORY_LIMIT_EXCEEDED, TOO_SLOW. */
const OVER_BUDGET = new Set(['159', '241', '160']);

export const overBudget = (b: Budget) =>
	new TRPCError({
		code: 'UNPROCESSABLE_CONTENT',
		message: `This question needs more than the ${b.seconds} s and ${Math.round(b.bytes / 2 ** 20)} MB a request may use; narrow the dates or filters.`
	});

export const busy = (waitMs: number) =>
	new TRPCError({
		code: 'SERVICE_UNAVAILABLE',
		message: `The database is busy answering other questions (waited ${(waitMs / 1000).toFixed(1)} s for a turn); try again in a few seconds.`
	});

/**
 * Runs tasks with at most `slots` at once and `perKey` per key. Waiting tasks are taken round
 * robin across keys, so a key with a hundred waiting calls delays another key's one call by at
 * most one turn.
 */
export class FairGate {
	private running = new Map<string, number>();
	private waiting = new Map<string, (() => void)[]>();
	private total = 0;
	constructor(
		readonly slots: number,
		// All but one: alone, a user's page (several queries at once) runs at full speed, and someone
		// else's question still finds a slot free at once.
		readonly perKey = Math.max(1, slots - 1),
		/** Calls one key may have waiting; past it the call is refused (429) rather than queued. */
		readonly maxWaiting = 64
	) {}

	/**
	 * Runs `task` when a slot is free. A call that has waited `waitMs` without a slot is taken out
	 * of the queue and refused with 503: the server says it is busy instead of leaving it hanging.
	 */
	async run<T>(key: string, task: () => Promise<T>, waitMs = Infinity): Promise<T> {
		if (!this.free(key)) {
			const queue = this.waiting.get(key) ?? [];
			if (queue.length >= this.maxWaiting)
				throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'Too many questions waiting; slow down.' });
			await new Promise<void>((go, refuse) => {
				let timer: ReturnType<typeof setTimeout> | undefined;
				const start = () => {
					clearTimeout(timer);
					go();
				};
				queue.push(start);
				this.waiting.set(key, queue);
				if (Number.isFinite(waitMs))
					timer = setTimeout(
						() => {
							const q = this.waiting.get(key);
							const at = q?.indexOf(start) ?? -1;
							if (at < 0) return; // started meanwhile
							q!.splice(at, 1);
							if (!q!.length) this.waiting.delete(key);
							refuse(busy(waitMs));
						},
						Math.max(0, waitMs)
					);
			});
		} else this.take(key);
		try {
			return await task();
		} finally {
			this.release(key);
		}
	}

	/** Tasks running and waiting now (for tests and metrics). */
	state(): { running: number; waiting: number } {
		let waiting = 0;
		for (const q of this.waiting.values()) waiting += q.length;
		return { running: this.total, waiting };
	}

	private free(key: string): boolean {
		return this.total < this.slots && (this.running.get(key) ?? 0) < this.perKey;
	}

	private take(key: string): void {
		this.total++;
		this.running.set(key, (this.running.get(key) ?? 0) + 1);
	}

	private release(key: string): void {
		this.total--;
		const n = (this.running.get(key) ?? 1) - 1;
		if (n) this.running.set(key, n);
		else this.running.delete(key);
		// Round robin: the first key (in arrival order) that may run goes next, then moves to the back.
		for (const [k, queue] of this.waiting) {
			if (!this.free(k)) continue;
			const go = queue.shift()!;
			this.waiting.delete(k);
			if (queue.length) this.waiting.set(k, queue);
			this.take(k);
			go();
			if (this.total >= this.slots) break;
		}
	}
}

let gate: FairGate | undefined;
const sharedGate = () => (gate ??= new FairGate(env().TOUCHMAP_QUERY_SLOTS));

export function budgetFromEnv(): Budget {
	const e = env();
	return {
		seconds: e.TOUCHMAP_QUERY_SECONDS,
		bytes: e.TOUCHMAP_QUERY_MEMORY_MB * 2 ** 20,
		waitSeconds: e.TOUCHMAP_QUERY_WAIT_SECONDS
	};
}

/**
 * The database as one request of `who` (a user id, else the client address) sees it: the same
 * client, except that its queries queue fairly and share the request's budget.
 */
export function budgetedDb(db: Db, who: string, budget = budgetFromEnv(), fair = sharedGate()): Db {
	const client = db.client;
	const deadline = Date.now() + budget.seconds * 1000;
	const query = (async (params: Parameters<ClickHouseClient['query']>[0]) => {
		const left = () => (deadline - Date.now()) / 1000;
		const wait = budget.waitSeconds === undefined ? Infinity : budget.waitSeconds * 1000;
		return fair.run(
			who,
			async () => {
				if (left() < 0.05) throw overBudget(budget);
				try {
					return await client.query({
						...params,
						clickhouse_settings: {
							...params.clickhouse_settings,
							max_execution_time: Math.max(1, Math.ceil(left())),
							timeout_overflow_mode: 'throw',
							max_memory_usage: String(budget.bytes)
						}
					});
				} catch (err) {
					if (OVER_BUDGET.has(String((err as { code?: unknown }).code))) throw overBudget(budget);
					throw err;
				}
			},
			Math.min(wait, left() * 1000)
		);
	}) as ClickHouseClient['query'];
	const wrapped = new Proxy(client, {
		get(target, prop) {
			if (prop === 'query') return query;
			if (prop === WRAPPED_CLIENT) return target;
			const value = Reflect.get(target, prop, target) as unknown;
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
	return { ...db, client: wrapped };
}
