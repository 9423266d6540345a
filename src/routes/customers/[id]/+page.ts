/**
 * Customer 360: one customer's facts, value, segment, churn risk and journey, through tRPC.
 */
import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, fetch }) => {
	try {
		const customer = await trpc(fetch).customers.get.query({ id: params.id });
		return { id: params.id, customer, notFound: false, error: null };
	} catch (err) {
		const e = err as { message: string; data?: { code?: string } };
		const notFound = e.data?.code === 'NOT_FOUND' || e.data?.code === 'BAD_REQUEST';
		return { id: params.id, customer: null, notFound, error: notFound ? null : e.message };
	}
};
