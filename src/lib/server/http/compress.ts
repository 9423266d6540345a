/**
 * Why this exists: adapter-node compresses only static assets (`precompress`); pages and API
 * answers are rendered per request and go out as they are. A rendered page of a long table is
 * hundreds of kilobytes of repetitive HTML, a few tens once compressed, which matters on a phone.
 * Brotli when the browser accepts it (quality 5: most of the gain at a fraction of the CPU of 11),
 * else gzip. Downloads (CSV and the like) and anything already encoded pass through untouched.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Smaller bodies are not worth a round of compression. */
export const MIN_COMPRESS_BYTES = 1024;
const COMPRESSIBLE = /^(text\/html|application\/json|text\/plain|image\/svg\+xml)\b/;

/** The encoding to use for an Accept-Encoding header, or null. */
export function pickEncoding(accept: string | null): 'br' | 'gzip' | null {
	const offered = new Map(
		(accept ?? '')
			.toLowerCase()
			.split(',')
			.map((part) => {
				const [name, ...params] = part.trim().split(';');
				const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)).find(Boolean);
				return [name!.trim(), q ? Number(q[1]) : 1] as const;
			})
	);
	if ((offered.get('br') ?? 0) > 0) return 'br';
	if ((offered.get('gzip') ?? 0) > 0) return 'gzip';
	return null;
}

/** `response` compressed for `request` when that helps, else `response` itself. */
export async function compress(request: Request, response: Response): Promise<Response> {
	const type = response.headers.get('content-type') ?? '';
	const encoding = pickEncoding(request.headers.get('accept-encoding'));
	if (
		!encoding ||
		request.method === 'HEAD' ||
		!response.body ||
		response.status === 204 ||
		response.status === 304 ||
		response.headers.has('content-encoding') ||
		response.headers.has('content-disposition') ||
		!COMPRESSIBLE.test(type)
	)
		return response;
	const raw = Buffer.from(await response.arrayBuffer());
	const headers = new Headers(response.headers);
	headers.append('vary', 'Accept-Encoding');
	if (raw.length < MIN_COMPRESS_BYTES) {
		headers.set('content-length', String(raw.length));
		return new Response(raw, { status: response.status, statusText: response.statusText, headers });
	}
	const body =
		encoding === 'br'
			? await brotli(raw, {
					params: {
						[constants.BROTLI_PARAM_QUALITY]: 5,
						[constants.BROTLI_PARAM_SIZE_HINT]: raw.length
					}
				})
			: await gz(raw, { level: 6 });
	headers.set('content-encoding', encoding);
	headers.set('content-length', String(body.length));
	return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
