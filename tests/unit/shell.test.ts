/**
 * The page shell's pure parts: which links a viewer is offered, the filter carried between pages,
 * and the compression of rendered answers.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { mayOpen } from '../../src/lib/auth/may-open';
import { filterContext, withFilterContext } from '../../src/lib/filter-context';
import { compress, pickEncoding } from '../../src/lib/server/http/compress';

describe('mayOpen', () => {
	it('offers a role only the pages it may open, everything with sign-in off, nothing to nobody', () => {
		expect(mayOpen({ authEnforced: true, user: { role: 'executive' } }, '/pain-points')).toBe(false);
		expect(mayOpen({ authEnforced: true, user: { role: 'executive' } }, '/journey')).toBe(true);
		expect(mayOpen({ authEnforced: true, user: { role: 'product' } }, '/pain-points/x')).toBe(true);
		expect(mayOpen({ authEnforced: true, user: null }, '/journey')).toBe(false);
		expect(mayOpen({}, '/journey')).toBe(false);
		expect(mayOpen({ authEnforced: false, user: null }, '/admin')).toBe(true);
	});
});

describe('filter context', () => {
	it('keeps the shared filter and drops page-specific choices', () => {
		const search = new URLSearchParams('from=2026-01-01&to=2026-03-31&channels=phone,email&sort=negative&kpi=csat');
		expect(filterContext(search)).toBe('from=2026-01-01&to=2026-03-31&channels=phone%2Cemail');
		expect(withFilterContext('/reasons', search)).toBe('/reasons?from=2026-01-01&to=2026-03-31&channels=phone%2Cemail');
		expect(withFilterContext('/roi', new URLSearchParams('page=2'))).toBe('/roi');
	});
});

describe('compression', () => {
	const html = `<!doctype html><html><body>${'<tr><td>a row of a long table</td></tr>'.repeat(500)}</body></html>`;
	const page = () => new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
	const asking = (enc: string) => new Request('http://x/', { headers: { 'accept-encoding': enc } });

	it('picks brotli, else gzip, honouring q=0', () => {
		expect(pickEncoding('gzip, deflate, br, zstd')).toBe('br');
		expect(pickEncoding('gzip;q=1.0, br;q=0')).toBe('gzip');
		expect(pickEncoding('identity')).toBe(null);
		expect(pickEncoding(null)).toBe(null);
	});

	it('compresses a page so it decodes to the same text, much smaller', async () => {
		const br = await compress(asking('br, gzip'), page());
		expect(br.headers.get('content-encoding')).toBe('br');
		expect(br.headers.get('vary')).toMatch(/Accept-Encoding/);
		const body = Buffer.from(await br.arrayBuffer());
		expect(Number(br.headers.get('content-length'))).toBe(body.length);
		expect(body.length).toBeLessThan(html.length / 10);
		expect(brotliDecompressSync(body).toString()).toBe(html);
		const gz = await compress(asking('gzip'), page());
		expect(gz.headers.get('content-encoding')).toBe('gzip');
		expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(html);
	});

	it('leaves downloads, small bodies, encoded answers and refusing clients alone', async () => {
		const csv = new Response('a,b\n'.repeat(1000), {
			headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="x.csv"' }
		});
		expect((await compress(asking('br'), csv)).headers.get('content-encoding')).toBe(null);
		const small = await compress(asking('br'), new Response('<p>hi</p>', { headers: { 'content-type': 'text/html' } }));
		expect(small.headers.get('content-encoding')).toBe(null);
		expect(await small.text()).toBe('<p>hi</p>');
		expect((await compress(asking('identity'), page())).headers.get('content-encoding')).toBe(null);
		const head = new Request('http://x/', { method: 'HEAD', headers: { 'accept-encoding': 'br' } });
		expect((await compress(head, page())).headers.get('content-encoding')).toBe(null);
	});

	it('keeps the status of an error page', async () => {
		const refused = new Response(html, { status: 403, headers: { 'content-type': 'text/html' } });
		expect((await compress(asking('gzip'), refused)).status).toBe(403);
	});
});
