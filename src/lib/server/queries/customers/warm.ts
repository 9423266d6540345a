/**
 * Why this exists: after start-up (and its demo load) the churn scores are refreshed and the
 * customer pages' default answers computed once in the background, so the first visitor does not
 * wait for cold roll-up reads (see kept.ts for why those are slow on a rule-defined segment).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { ensureChurnScores } from '../../churn/refresh';
import { getAtRisk } from './at-risk';
import { getNeeds } from './needs';
import { ensurePortrait } from './portrait';
import { getSegments } from './segments';
import { getSignals } from './signals';
import { AtRiskInputSchema } from '$schemas/customers';

export async function warmCustomerViews(client: ClickHouseClient): Promise<void> {
	await ensurePortrait(client);
	await ensureChurnScores(client);
	await getSegments(client, { months: 12 });
	await getNeeds(client, { months: 12, top: 5 });
	await getSignals(client, { months: 12 });
	await getAtRisk(client, AtRiskInputSchema.parse(undefined));
}
