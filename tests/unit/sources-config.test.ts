import { describe, expect, it } from 'vitest';
import { httpOptions, loadSources, parseSources, SourcesError } from '../../ingest/service/config';
import { recordsOf, sign, verify } from '../../ingest/service/webhook';

/** One source read through the shipped Zendesk mapping, as the sources file would declare it. */
const source = (s: object) =>
	parseSources({ sources: [{ mapping: 'ingest/connectors/mappings/zendesk-tickets.yaml', ...s }] }, process.cwd())[0]!;

describe('sources file', () => {
	it('the example file is valid and resolves mappings and paths', () => {
		const sources = loadSources('ingest/connectors/sources.example.yaml');
		expect(sources.map((s) => s.kind)).toContain('salesforce');
		const sf = sources.find((s) => s.name === 'sf-contacts')!;
		expect(sf.mappingSpec.name).toBe('sf-contacts');
		expect(sf.parsedOptions).toMatchObject({ apiVersion: 'v59.0', object: 'Contact' });
		expect(sf.interval).toBe(900);
		expect(sf.http).toEqual({ timeoutMs: 30_000, attempts: 5, backoffMs: 500 });
	});
	it('names the source and field of a mistake, and refuses secrets in the file', () => {
		const bad = (s: object) => () => source(s);
		expect(bad({ name: 'zd', kind: 'zendesk', options: { baseUrl: 'not a url' } })).toThrow(
			/sources\.0\.options\.baseUrl/
		);
		expect(
			bad({ name: 'zd', kind: 'zendesk', options: { baseUrl: 'https://a.b' }, auth: { type: 'bearer', token: 'abc' } })
		).toThrow(SourcesError);
		expect(bad({ name: 'Zd!', kind: 'zendesk', options: { baseUrl: 'https://a.b' } })).toThrow(/sources\.0\.name/);
		expect(bad({ name: 'hook', kind: 'webhook' })).toThrow(/webhook\.secretEnv/);
		expect(bad({ name: 'zd', kind: 'zendesk', mapping: 'nope.yaml', options: { baseUrl: 'https://a.b' } })).toThrow(
			/Source zd: Mapping .*nope\.yaml cannot be read/
		);
	});
	it('reads secrets from the environment when a request is made', () => {
		const s = source({
			name: 'zd',
			kind: 'zendesk',
			options: { baseUrl: 'https://a.b' },
			auth: { type: 'basic', userEnv: 'ZU', passwordEnv: 'ZP' }
		});
		expect(httpOptions(s, { ZU: 'u', ZP: 'p' }).headers).toEqual({
			authorization: `Basic ${Buffer.from('u:p').toString('base64')}`
		});
		expect(() => httpOptions(s, {})).toThrow(/ZU is not set/);
	});
});

describe('webhook signatures', () => {
	const hook = source({ name: 'hook', kind: 'webhook', webhook: { secretEnv: 'HOOK_SECRET' } });
	const h = (ts: string, sig: string) => ({
		get: (k: string) => ({ 'x-touchmap-timestamp': ts, 'x-touchmap-signature': sig })[k] ?? null
	});
	const env = { HOOK_SECRET: 's3cret' };
	const now = 1_800_000_000_000;
	it('accepts a fresh signed body once; refuses stale, tampered and replayed ones', () => {
		const body = '{"id":1}';
		const ts = String(now / 1000);
		expect(verify(hook, h(ts, sign('s3cret', ts, body)), body, env, now)).toMatchObject({ ok: true });
		expect(verify(hook, h(ts, sign('s3cret', ts, body)), body, env, now)).toMatchObject({ status: 409 });
		expect(verify(hook, h(ts, sign('s3cret', ts, body)), '{"id":2}', env, now)).toMatchObject({ status: 401 });
		const old = String(now / 1000 - 301);
		expect(verify(hook, h(old, sign('s3cret', old, body)), body, env, now)).toMatchObject({ status: 401 });
		expect(verify(hook, h(ts, sign('s3cret', ts, body)), body, {}, now)).toMatchObject({ status: 503 });
	});
	it('reads one record, an array, {records} or NDJSON', () => {
		expect(recordsOf('{"a":1}')).toEqual({ records: [{ a: 1 }] });
		expect(recordsOf('{"records":[{"a":1},{"a":2}]}')).toEqual({ records: [{ a: 1 }, { a: 2 }] });
		expect(recordsOf('{"a":1}\n{"a":2}\n')).toEqual({ records: [{ a: 1 }, { a: 2 }] });
		expect(recordsOf('[1,2]')).toEqual({ error: 'every record must be a JSON object' });
		expect(recordsOf('{oops')).toMatchObject({ error: expect.stringMatching(/not JSON/) });
	});
});
