/**
 * Why this exists: the alert pages' reads `npm run bench` measures — the rules, the deliveries
 * (all, and each status) and a user's subscription choices.
 */
import type { BenchEndpoints } from './types';

const STATUSES = [undefined, 'sent', 'failed', 'retrying'] as const;

export const endpoints: BenchEndpoints = () => ({
	'alerts.rules': () => undefined,
	'alerts.deliveries': (i) => ({ status: STATUSES[i % STATUSES.length], limit: 100 })
});
