/**
 * Why this exists: a customer's orders, written first because they give the CRM row its lifetime
 * value, 12-month revenue and value tier. High-value customers order several times as often and
 * spend more.
 */
import { CRM_ORDER_COLUMNS, type CrmOrderRow } from '../../schemas/sources';
import type { DemoCustomer } from './customers';
import type { Out } from './output';
import { contactTime, DAY, DEMO_END, iso, normal, pad, pick, poisson, round2, type Rng } from './random';
import { CATEGORIES, PRODUCTS } from './topics';

/** Writes the customer's orders; returns what the completed ones add up to. */
export function writeOrders(
	r: Rng,
	c: DemoCustomer,
	out: Out,
	seq: { order: number }
): { ltv: number; revenue12: number } {
	const { zh, highValue, from, activeUntil } = c;
	const nOrders = poisson(r, c.months * (highValue ? 1.6 : 0.35));
	let ltv = 0;
	let revenue12 = 0;
	for (let k = 0; k < nOrders; k++) {
		const t = contactTime(r, from, activeUntil);
		const p = Math.floor(r() * PRODUCTS.length);
		const amount = round2(Math.exp(4 + 1.1 * normal(r)) * (highValue ? 2.2 : 1));
		const status = r() < 0.04 ? 'returned' : r() < 0.02 ? 'cancelled' : 'completed';
		if (status === 'completed') {
			ltv += amount;
			if (t > DEMO_END - 365 * DAY) revenue12 += amount;
		}
		const order: CrmOrderRow = {
			order_id: `O${pad(++seq.order, 9)}`,
			customer_id: c.id,
			created_at: iso(t),
			amount: amount.toFixed(2),
			currency: zh ? 'CNY' : 'USD',
			status,
			channel: pick(r, ['web', 'app', 'store'] as const),
			items: String(1 + Math.floor(r() * 3)),
			category: CATEGORIES[p]!
		};
		out.csv(CRM_ORDER_COLUMNS, order);
	}
	return { ltv, revenue12 };
}
