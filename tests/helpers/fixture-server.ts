/**
 * Why this exists: connector tests talk to a local HTTP server on 127.0.0.1 that answers in a
 * vendor's documented shape. Each route is a function of the request; faults (429 with Retry-After,
 * 5xx, a slow answer, a broken body) are scripted per request number, so a test can say "the second
 * call to this page fails twice, then works".
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface Reply {
	status?: number;
	headers?: Record<string, string>;
	/** Object → JSON; string → sent as is (broken JSON). */
	body?: unknown;
	/** Wait before answering (ms). */
	delay?: number;
}

export type Route = (url: URL, hit: number, req: IncomingMessage) => Reply | Promise<Reply>;

export interface FixtureServer {
	url: string;
	/** Requests received, by path + query. */
	log: string[];
	close(): Promise<void>;
}

export async function startFixtureServer(routes: Record<string, Route>): Promise<FixtureServer> {
	const hits = new Map<string, number>();
	const log: string[] = [];
	const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		log.push(url.pathname + url.search);
		const route = routes[url.pathname];
		if (!route) {
			res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
			return;
		}
		const key = url.pathname + url.search;
		const hit = (hits.get(key) ?? 0) + 1;
		hits.set(key, hit);
		const r = await route(url, hit, req);
		if (r.delay) await new Promise((ok) => setTimeout(ok, r.delay));
		if (res.destroyed) return;
		const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? {});
		res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers }).end(body);
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	const port = (server.address() as { port: number }).port;
	return {
		url: `http://127.0.0.1:${port}`,
		log,
		close: () =>
			new Promise<void>((ok) => {
				server.closeAllConnections();
				server.close(() => ok());
			})
	};
}
