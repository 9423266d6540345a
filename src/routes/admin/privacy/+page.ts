import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ fetch, url }) => {
	const customerId = (url.searchParams.get('customer') ?? '').slice(0, 128);
	return loadPage(
		fetch,
		async (api) => {
			const [retention, customer] = await Promise.all([
				api.privacy.retention.query(),
				// An unknown customer is said beside the lookup; the rest of the page still works.
				customerId ? api.privacy.customer.query({ customerId }).catch((err: Error) => ({ error: err.message })) : null
			]);
			return { retention, customerId, customer };
		},
		{ retention: null, customerId, customer: null }
	);
};
