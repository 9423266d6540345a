/**
 * Customer 360: one customer's facts, value, segment, churn risk and journey, through tRPC. An
 * unknown or malformed id comes back as an error the page shows as "not found".
 */
import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ params, fetch }) =>
	loadPage(fetch, async (api) => ({ id: params.id, customer: await api.customers.get.query({ id: params.id }) }), {
		id: params.id,
		customer: null
	});
