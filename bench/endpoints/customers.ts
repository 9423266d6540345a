/**
 * Why this exists: the customer-profile endpoints `npm run bench` measures — segment portrait,
 * needs by scenario, churn signals, the at-risk list (varied filters) and the customer 360 for
 * customers picked from the at-risk list.
 */
import type { BenchEndpoints } from './types';

export const endpoints: BenchEndpoints = async ({ query }) => {
	const list = await query<{ rows: { customerId: string }[] }>('customers.atRisk', { minRisk: 0, limit: 50 });
	const ids = list.rows.map((r) => r.customerId);
	const groups = ['all', 'high_value', 'others'] as const;
	const signals = ['any', 'quiet', 'repeat_complaints', 'falling_sentiment', 'unresolved'] as const;
	return {
		'customers.rules': () => undefined,
		'customers.segments': (i) => ({ months: [3, 6, 12, 24][i % 4] }),
		'customers.needs': (i) => ({ months: [6, 12, 24][i % 3], top: 5 }),
		'customers.signals': (i) => ({ months: [6, 12, 24][i % 3] }),
		'customers.atRisk': (i) => ({
			group: groups[i % 3],
			signal: signals[i % 5],
			minRisk: [0, 0.2, 0.5][i % 3],
			limit: 50
		}),
		'customers.get': (i) => ({ id: ids[i % Math.max(1, ids.length)] ?? 'C0000001' })
	};
};
