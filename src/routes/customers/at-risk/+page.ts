/**
 * Churn early warning: signals (per group, now and over time) and the at-risk list, through
 * tRPC. Filters live in the URL so a filtered list can be shared, reloaded and exported.
 */
import { AtRiskInputSchema } from '$schemas/customers';
import { trpc } from '$lib/trpc';
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
		limit: p.has('limit') ? Number(p.get('limit')) : 50
	};
	const parsed = AtRiskInputSchema.safeParse(raw);
	return parsed.success ? parsed.data : AtRiskInputSchema.parse({ limit: 50 });
}

export const load: PageLoad = async ({ url, fetch }) => {
	const api = trpc(fetch);
	const filter = filters(url);
	try {
		const [signals, list] = await Promise.all([
			api.customers.signals.query({ months: 12 }),
			api.customers.atRisk.query(filter)
		]);
		return { filter, signals, list, error: null };
	} catch (err) {
		return { filter, signals: null, list: null, error: (err as Error).message };
	}
};
