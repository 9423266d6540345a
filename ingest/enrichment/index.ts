/**
 * Why this exists: the enrichment stage of ingest, between mapping and loading. Every batch of validated interactions, from any source, passes through the enrichers
 * below before it is loaded, so demo data, files, connectors and webhooks are enriched alike.
 * An enricher fills fields in place (stage/touchpoint from rules, language, sentiment, intent, …)
 * and must only fill what the source left empty, so a source's own values win.
 */
import type { Interaction } from '../../schemas/entities';
import { identityEnricher } from './identity/resolve';
import { journeyRulesEnricher } from './journey-rules';
import { reasonEnricher } from './reasons/enricher';
import { textEnricher } from './text-enricher';
import type { EnrichContext, Enricher } from './types';

export type { EnrichContext, Enricher } from './types';

/** In order: later enrichers see what earlier ones filled. */
export const ENRICHERS: Enricher[] = [
	// First: later enrichers may use the customer it resolves.
	identityEnricher,
	// Then text: the journey rules may match on the intent it classifies.
	textEnricher,
	// After text: a reason is read in the language the text enricher detected.
	reasonEnricher,
	journeyRulesEnricher
];

export async function prepareEnrichers(ctx: EnrichContext, enrichers = ENRICHERS): Promise<void> {
	for (const e of enrichers) await e.prepare?.(ctx);
}

export async function enrichBatch(records: Interaction[], ctx: EnrichContext, enrichers = ENRICHERS): Promise<void> {
	for (const e of enrichers) await e.enrich(records, ctx);
}
