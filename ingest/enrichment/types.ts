/** The contract every enricher meets (index.ts runs them in order). */
import type { Interaction } from '../../schemas/entities';
import type { Db } from '../../db/client';

export interface EnrichContext {
	db: Db;
	/** The mapping's name (the source). */
	source: string;
}

export interface Enricher {
	name: string;
	/** Called once per ingest run before the first batch (load rules, models). */
	prepare?(ctx: EnrichContext): Promise<void> | void;
	enrich(records: Interaction[], ctx: EnrichContext): Promise<void> | void;
}
