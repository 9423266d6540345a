/**
 * Churn early warning: signals (per group, now and over time) and the at-risk list, through
 * tRPC. Filters live in the URL so a filtered list can be shared, reloaded and exported.
 */
import { AtRiskInputSchema } from '$schemas/customers';
import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

/** The list's filters from the URL; anything invalid falls back to its default. */
function filters(url: URL) {
	const p = url.searchParams;
	const raw = {
		group: p.get('group') ?? undefined,
		signal: p.get('signal') ?? undefined,
		minRisk: p.has('minRisk') ? Number(p.get('minRisk')) : undefined,
		segment: p.get('segment') ?? undefined,
		tier: p.get('tier') ?? undefined,
		sort: p.get('sort') ?? undefined,
		limit: p.has('limit') ? Number(p.get('limit')) : 50
	};
	const parsed = AtRiskInputSchema.safeParse(raw);
	return parsed.success ? parsed.data : AtRiskInputSchema.parse({ limit: 50 });
}

export const load: PageLoad = ({ url, fetch }) => {
	const filter = filters(url);
	return loadPage(
		fetch,
		async (api) => {
			const [signals, list] = await Promise.all([
				api.customers.signals.query({ months: 12 }),
				api.customers.atRisk.query(filter)
			]);
			return { filter, signals, list };
		},
		{ filter, signals: null, list: null }
	);
};
