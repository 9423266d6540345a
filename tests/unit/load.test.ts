/**
 * The page load helper: a failed tRPC call becomes the page's fallback values plus a typed error
 * with the API's code and HTTP status; SvelteKit's redirects and errors are not swallowed.
 */
import { error, redirect } from '@sveltejs/kit';
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { loadPage, toLoadError } from '../../src/lib/load';

const noFetch = (() => Promise.reject(new Error('no network in this test'))) as typeof fetch;

describe('loadPage', () => {
	it('returns the calls’ results with no error', async () => {
		const data = await loadPage(noFetch, async () => ({ n: 1 }), { n: null });
		expect(data).toEqual({ n: 1, error: null });
	});

	it('turns a tRPC error into the fallback values and a typed error', async () => {
		const failure = new TRPCClientError('from must not be after to', {
			result: {
				error: { message: 'from must not be after to', code: -32600, data: { code: 'BAD_REQUEST', httpStatus: 400 } }
			}
		});
		const data = await loadPage(
			noFetch,
			async () => {
				throw failure;
			},
			{ n: null }
		);
		expect(data).toEqual({
			n: null,
			error: { message: 'from must not be after to', code: 'BAD_REQUEST', status: 400 }
		});
	});

	it('passes SvelteKit redirects and errors through', async () => {
		await expect(loadPage(noFetch, async () => redirect(303, '/login'), {})).rejects.toMatchObject({
			status: 303,
			location: '/login'
		});
		await expect(loadPage(noFetch, async () => error(404, 'gone'), {})).rejects.toMatchObject({ status: 404 });
	});
});

describe('toLoadError', () => {
	it('calls anything without an API answer an internal error (500)', () => {
		expect(toLoadError(new TypeError('fetch failed'))).toEqual({
			message: 'fetch failed',
			code: 'INTERNAL_SERVER_ERROR',
			status: 500
		});
		expect(toLoadError('odd')).toEqual({ message: 'odd', code: 'INTERNAL_SERVER_ERROR', status: 500 });
	});
});
