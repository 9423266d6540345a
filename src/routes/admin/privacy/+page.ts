import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url }) => {
	const api = trpc(fetch);
	const customerId = (url.searchParams.get('customer') ?? '').slice(0, 128);
	try {
		const [retention, customer] = await Promise.all([
			api.privacy.retention.query(),
			customerId ? api.privacy.customer.query({ customerId }).catch((err: Error) => ({ error: err.message })) : null
		]);
		return { retention, customerId, customer, error: null };
	} catch (err) {
		return { retention: null, customerId, customer: null, error: (err as Error).message };
	}
};
