/**
 * Data of /admin/sources: every source's state and counts, and a page of quarantined records whose
 * filters (source, reason text, offset) live in the URL.
 */
import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

const PAGE_SIZE = 25;
const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const load: PageLoad = ({ url, fetch }) => {
	const source = url.searchParams.get('source') ?? '';
	const filter = {
		source: NAME.test(source) ? source : '',
		reason: (url.searchParams.get('reason') ?? '').slice(0, 200),
		offset: Math.max(0, Math.min(1_000_000, Number(url.searchParams.get('offset')) || 0))
	};
	return loadPage(
		fetch,
		async (api) => {
			const [sources, quarantine] = await Promise.all([
				api.sources.list.query(),
				api.sources.quarantine.query({ ...filter, limit: PAGE_SIZE })
			]);
			return { filter, sources, quarantine, pageSize: PAGE_SIZE };
		},
		{ filter, sources: [], quarantine: [], pageSize: PAGE_SIZE }
	);
};
