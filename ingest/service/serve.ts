/**
 * Why this exists: `npm run ingest:serve` — the ingest service as its own long-lived process, for
 * deployments on a ClickHouse server (any number of processes) or an embedded database that no
 * `npm start` owns. It schedules every source of the sources file from its persisted cursor and
 * serves GET /metrics (Prometheus text), GET /healthz and POST /ingest/webhook/:source.
 *
 * With the embedded engine and `npm start` running, this process cannot open the database: it stops
 * with a clear message; set TOUCHMAP_SOURCES for `npm start` instead and it hosts the same service.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../db/env';
import { closeDb, DatabaseLockedError } from '../../db/client';
import { openDb } from '../../db/open';
import { loadSources, SourcesError } from './config';
import { sourcesFile, startIngestHost, stopIngestHost } from './host';
import { handleWebhook, MAX_BODY_BYTES } from './webhook';

const HELP = `Usage: npm run ingest:serve -- [--sources FILE] [--port N]

Runs every source of the sources file (default $TOUCHMAP_SOURCES) at its interval, from its stored
cursor. Serves /metrics, /healthz and POST /ingest/webhook/:source on --port (default
$TOUCHMAP_INGEST_PORT or 3199, bound to 127.0.0.1 unless TOUCHMAP_INGEST_HOST is set).`;

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			sources: { type: 'string' },
			port: { type: 'string' },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	if (values.help) {
		console.log(HELP);
		return;
	}
	const file = values.sources ?? sourcesFile();
	if (!file) throw new SourcesError('no sources file: pass --sources FILE or set TOUCHMAP_SOURCES');
	const sources = loadSources(file);
	const db = await openDb();
	const scheduler = startIngestHost(db, sources);
	const port = Number(values.port ?? process.env.TOUCHMAP_INGEST_PORT ?? 3199);
	const server = createServer(async (req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		try {
			if (req.method === 'GET' && url.pathname === '/metrics') {
				res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(await scheduler.metrics());
			} else if (req.method === 'GET' && url.pathname === '/healthz') {
				res
					.writeHead(200, { 'content-type': 'application/json' })
					.end(JSON.stringify({ ok: true, sources: sources.length }));
			} else if (req.method === 'POST' && url.pathname.startsWith('/ingest/webhook/')) {
				const chunks: Buffer[] = [];
				let size = 0;
				for await (const c of req) {
					size += (c as Buffer).length;
					if (size > MAX_BODY_BYTES) break;
					chunks.push(c as Buffer);
				}
				const name = decodeURIComponent(url.pathname.slice('/ingest/webhook/'.length));
				const headers = { get: (h: string) => (req.headers[h] as string | undefined) ?? null };
				const r =
					size > MAX_BODY_BYTES
						? { status: 413, body: { error: 'body too large' } }
						: await handleWebhook(db, scheduler.get(name), headers, Buffer.concat(chunks).toString('utf8'));
				res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body));
			} else res.writeHead(404).end('not found\n');
		} catch (err) {
			console.error(`ingest: ${req.method} ${url.pathname}: ${(err as Error).message}`);
			if (!res.headersSent) res.writeHead(503).end('unavailable\n');
		}
	});
	server.listen(port, process.env.TOUCHMAP_INGEST_HOST ?? '127.0.0.1', () =>
		console.log(`ingest: serving ${sources.length} sources; metrics on http://127.0.0.1:${port}/metrics`)
	);
	const stop = async () => {
		server.close();
		await stopIngestHost();
		await closeDb();
		process.exit(0);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch(async (err) => {
	const expected = err instanceof DatabaseLockedError || err instanceof ConfigError || err instanceof SourcesError;
	console.error(`ingest: ${expected ? err.message : (err?.stack ?? err)}`);
	await closeDb().catch(() => undefined);
	process.exit(1);
});
