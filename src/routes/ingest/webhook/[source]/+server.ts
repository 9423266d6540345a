/**
 * Why this exists: push sources POST their events here (HMAC-SHA256 signed, see
 * ingest/service/webhook.ts). The server process hosts the ingest service when TOUCHMAP_SOURCES is
 * set; the answer is 202, 400, 401, 404, 409, 413 or 503 — never a 500. A body over the server's
 * limit is 413 whether its length was declared or not: adapter-node refuses it while it is read
 * (BODY_SIZE_LIMIT, 512 KB by default), and a retry-later would make the sender post it forever.
 */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { openDb } from '$db/open';
import { handleWebhook, ingestHost, MAX_BODY_BYTES } from '$ingest';

export const POST: RequestHandler = async ({ params, request }) => {
	try {
		const length = Number(request.headers.get('content-length') ?? 0);
		if (length > MAX_BODY_BYTES) return json({ error: 'body too large' }, { status: 413 });
		let body: string;
		try {
			body = await request.text();
		} catch (err) {
			if ((err as { status?: number }).status === 413)
				return json({ error: `body too large: ${(err as Error).message}` }, { status: 413 });
			return json({ error: 'the body could not be read' }, { status: 400 });
		}
		const source = ingestHost()?.get(params.source);
		const db = await openDb();
		const r = await handleWebhook(db, source, request.headers, body);
		return json(r.body, { status: r.status });
	} catch (err) {
		console.error(`webhook ${params.source}:`, (err as Error).message);
		return json({ error: 'could not store the records now; retry later' }, { status: 503 });
	}
};
