/**
 * Why this exists: the target "50 concurrent users browsing the dashboard APIs for 60 s".
 * autocannon keeps 50 connections busy against 127.0.0.1 only, each request the next of a cycle
 * through every bench endpoint with varied inputs (the same requests the per-endpoint figures use),
 * for a bounded time. autocannon's histogram has no p95, so every response time is recorded here.
 * Errors = non-2xx answers + connection errors + timeouts (10 s per request). Each connection is a
 * user of its own (its own client address), as 50 users would be.
 *
 * Two runs: back to back (each connection sends its next request as soon as the answer arrives —
 * the target's wording and the worst case: on 2 cores latency is then queueing, ≈ 50 / throughput)
 * and at a browsing pace (`userRate` requests per second per user on average: autocannon caps the
 * overall rate at userRate × connections).
 */
import autocannon from 'autocannon';

export interface LoadFigure {
	connections: number;
	/** Requests per second per connection (a user's pace), or undefined for back to back. */
	userRate?: number;
	seconds: number;
	requests: number;
	perSecond: number;
	p50: number;
	p95: number;
	p99: number;
	non2xx: number;
	errors: number;
	timeouts: number;
}

/**
 * Request paths cycling through the endpoints (endpoint-major per round, inputs varied by round).
 * More rounds than a 60-s run gets through, so no request repeats an earlier one.
 */
export function loadPaths(endpoints: Record<string, (i: number) => unknown>, rounds = 400): string[] {
	const paths: string[] = [];
	for (let i = 0; i < rounds; i++)
		for (const [name, input] of Object.entries(endpoints)) {
			const v = input(i);
			paths.push(`/api/trpc/${name}${v === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(v))}`}`);
		}
	return paths;
}

export async function runLoadTest(opts: {
	base: string;
	paths: string[];
	connections?: number;
	seconds: number;
	userRate?: number;
}): Promise<LoadFigure> {
	const url = new URL(opts.base);
	if (url.hostname !== '127.0.0.1') throw new Error('bench: the load test runs against 127.0.0.1 only');
	const connections = opts.connections ?? 50;
	let next = 0;
	let users = 0;
	const times: number[] = [];
	const result = await new Promise<autocannon.Result>((ok, fail) => {
		const instance = autocannon(
			{
				url: opts.base,
				connections,
				duration: opts.seconds,
				timeout: 10,
				// autocannon paces per connection only in whole requests/s: pace all users together instead.
				...(opts.userRate ? { overallRate: Math.max(1, Math.round(opts.userRate * connections)) } : {}),
				requests: [
					{
						// Each connection is its own user (the server reads the client address from
						// X-Forwarded-For, ADDRESS_HEADER in run.ts): the server queues fairly per user, and
						// 50 users behind one address would be one user asking 50 questions at once.
						setupRequest: (req, context: { user?: number }) => {
							context.user ??= users++;
							return {
								...req,
								method: 'GET',
								path: opts.paths[next++ % opts.paths.length]!,
								headers: { ...req.headers, 'x-forwarded-for': `10.0.${context.user >> 8}.${context.user & 255}` }
							};
						}
					}
				]
			},
			(err, res) => (err ? fail(err) : ok(res))
		);
		instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
	});
	times.sort((a, b) => a - b);
	const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
	return {
		connections,
		userRate: opts.userRate,
		seconds: result.duration,
		requests: times.length,
		perSecond: times.length / result.duration,
		p50: pct(50),
		p95: pct(95),
		p99: pct(99),
		non2xx: result.non2xx,
		errors: result.errors,
		timeouts: result.timeouts
	};
}

export function printLoadFigure(f: LoadFigure): void {
	console.log(
		`\nLoad: ${f.connections} concurrent connections for ${f.seconds.toFixed(0)} s against 127.0.0.1, cycling through the dashboard API requests, ${f.userRate ? `at a browsing pace (${f.userRate} request/s per user, ${Math.round(f.userRate * f.connections)} requests/s in all at most)` : 'back to back (no think time)'}`
	);
	console.log(
		`  ${f.requests.toLocaleString('en')} requests, ${f.perSecond.toFixed(1)} requests/s, latency p50 ${f.p50.toFixed(0)} ms, p95 ${f.p95.toFixed(0)} ms, p99 ${f.p99.toFixed(0)} ms`
	);
	console.log(`  errors: ${f.non2xx} non-2xx, ${f.errors} connection errors (incl. ${f.timeouts} timeouts)`);
}
