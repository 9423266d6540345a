/**
 * Why this exists: Prometheus metrics of the ingest service when `npm start` hosts it (records,
 * rejected, errors, lag per source); `npm run ingest:serve` serves the same text at /metrics.
 */
import type { RequestHandler } from './$types';
import { ingestHost } from '$ingest';

export const GET: RequestHandler = async () => {
	const host = ingestHost();
	const text = host
		? await host.metrics().catch(() => '# metrics unavailable: database error\n')
		: '# no sources configured (TOUCHMAP_SOURCES)\n';
	return new Response(text, { headers: { 'content-type': 'text/plain; version=0.0.4' } });
};
