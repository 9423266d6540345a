/**
 * Why this exists: push sources. A system POSTs events to /ingest/webhook/:source; the body is
 * authenticated with HMAC-SHA256 over `timestamp.body` (headers `x-touchmap-timestamp`, unix
 * seconds, and `x-touchmap-signature: sha256=<hex>`), a timestamp outside the window or a signature
 * already seen inside it is refused (replay), and the records then take the same path as pulled
 * ones: mapping, quarantine, enrichment, idempotent loading. The answer is never a 500: bad
 * signatures get 401, unreadable bodies 400 (and the body is quarantined), a database outage 503.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/client';
import { Loader } from '../loading/loader';
import type { Source } from './config';
import { storeQuarantine } from '../loading/quarantine';
import { loadRecords, mapPage } from './runner';
import { readStatus, writeStatus } from './state';

export const MAX_BODY_BYTES = 5 << 20;

export interface WebhookReply {
	status: number;
	body: Record<string, unknown>;
}

export function sign(secret: string, timestamp: number | string, body: string): string {
	return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Signatures accepted inside the window, so the same delivery cannot be replayed. */
const seen = new Map<string, number>();

function remember(sig: string, until: number, now: number): boolean {
	for (const [k, t] of seen) if (t < now) seen.delete(k);
	if (seen.has(sig)) return false;
	seen.set(sig, until);
	return true;
}

export function verify(
	source: Source,
	headers: { get(name: string): string | null },
	body: string,
	environment: NodeJS.ProcessEnv = process.env,
	now = Date.now()
): WebhookReply | { ok: true; signature: string } {
	const secretEnv = source.webhook?.secretEnv;
	const secret = secretEnv ? environment[secretEnv] : undefined;
	if (!secret) return { status: 503, body: { error: `webhook secret for ${source.name} is not configured` } };
	const ts = headers.get('x-touchmap-timestamp') ?? '';
	const sig = headers.get('x-touchmap-signature') ?? '';
	if (!/^\d{1,12}$/.test(ts) || !sig) return { status: 401, body: { error: 'missing timestamp or signature' } };
	const tolerance = (source.webhook?.toleranceSeconds ?? 300) * 1000;
	if (Math.abs(now - Number(ts) * 1000) > tolerance)
		return { status: 401, body: { error: 'timestamp outside the accepted window' } };
	const expected = Buffer.from(sign(secret, ts, body));
	const given = Buffer.from(sig);
	if (expected.length !== given.length || !timingSafeEqual(expected, given))
		return { status: 401, body: { error: 'bad signature' } };
	if (!remember(sig, Number(ts) * 1000 + tolerance, now))
		return { status: 409, body: { error: 'this delivery was already received (replay)' } };
	return { ok: true, signature: sig };
}

/** Records in a body: one object, an array, `{ records: [...] }`, or NDJSON lines. */
export function recordsOf(body: string): { records: Record<string, unknown>[] } | { error: string } {
	const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
	let v: unknown;
	try {
		v = JSON.parse(body);
	} catch {
		const lines = body.split('\n').filter((l) => l.trim());
		try {
			v = lines.map((l) => JSON.parse(l) as unknown);
		} catch (err) {
			return { error: `body is not JSON: ${(err as Error).message}` };
		}
	}
	if (isObj(v) && Array.isArray(v.records)) v = v.records;
	const list = Array.isArray(v) ? v : [v];
	if (!list.length) return { error: 'body holds no records' };
	if (!list.every(isObj)) return { error: 'every record must be a JSON object' };
	return { records: list };
}

export async function handleWebhook(
	db: Db,
	source: Source | undefined,
	headers: { get(name: string): string | null },
	body: string
): Promise<WebhookReply> {
	if (!source || !source.webhook) return { status: 404, body: { error: 'no webhook source by that name' } };
	if (Buffer.byteLength(body) > MAX_BODY_BYTES) return { status: 413, body: { error: 'body too large' } };
	const v = verify(source, headers, body);
	if (!('ok' in v)) return v;
	const runId = randomUUID();
	try {
		const parsed = recordsOf(body);
		if ('error' in parsed) {
			await storeQuarantine(db, [
				{
					run_id: runId,
					source: source.name,
					file: `webhook:${v.signature.slice(7, 23)}`,
					line: 0,
					raw: body,
					reason: parsed.error
				}
			]);
			return { status: 400, body: { error: parsed.error, quarantined: 1 } };
		}
		const mapping = source.mappingSpec;
		const { ok, bad } = mapPage(mapping, parsed.records, [], runId, `webhook:${v.signature.slice(7, 23)}`);
		const loader = new Loader(db, mapping.entity, runId);
		let r = { inserted: 0, duplicates: 0 };
		try {
			r = await loadRecords(db, mapping, loader, ok, runId);
		} finally {
			await loader.close().catch(() => undefined);
		}
		await storeQuarantine(db, bad);
		const status = await readStatus(db, source.name, source.kind);
		const newest = (ok as { ts?: string }[]).reduce<string | null>(
			(m, x) => (x.ts && (!m || x.ts > m) ? x.ts : m),
			status.newest_record
		);
		await writeStatus(db, {
			...status,
			state: 'ok',
			last_run_at: new Date().toISOString(),
			last_ok_at: new Date().toISOString(),
			records_total: status.records_total + r.inserted,
			rejected_total: status.rejected_total + bad.length,
			newest_record: newest
		});
		return { status: 202, body: { accepted: r.inserted, duplicates: r.duplicates, quarantined: bad.length } };
	} catch (err) {
		// Let the sender retry: the signature may be used again.
		seen.delete(v.signature);
		console.error(`ingest: webhook ${source.name} failed: ${(err as Error).message}`);
		return { status: 503, body: { error: 'could not store the records now; retry later' } };
	}
}
