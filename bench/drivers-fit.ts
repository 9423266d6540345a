/**
 * Why this exists: the key-driver model's own cost, apart from the database — a fit with its
 * Shapley split and bootstrap on as many cells as a large data set sums to (8 factors, tens of
 * thousands of level combinations; the cells a request reads grow with the combinations that
 * occur, not with the contacts). Prints the cells and the milliseconds of each of three fits.
 *   npx vite-node --config scripts/vite-node.config.ts bench/drivers-fit.ts [--rows N]
 */
import { parseArgs } from 'node:util';
import { fitDrivers, type DriverCell } from '../src/lib/server/queries/drivers/model';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '300000' } } });
let s = 3;
const r = () => (s = (s * 16807) % 2147483647) / 2147483647;
const LEVELS = [12, 8, 3, 4, 3, 2, 6, 6];
const cells = new Map<string, DriverCell>();
for (let i = 0; i < Number(values.rows); i++) {
	const lv = LEVELS.map((n) => String(Math.floor(r() * r() * n)));
	const y = 5 + Number(lv[0]) * 0.2 + (r() - 0.5) * 4;
	const k = lv.join('|');
	const c = cells.get(k) ?? { levels: lv, n: 0, sum: 0, sq: 0 };
	c.n++;
	c.sum += y;
	c.sq += y * y;
	cells.set(k, c);
}
const factors = LEVELS.map((_, i) => `f${i}`);
const times: number[] = [];
for (let j = 0; j < 3; j++) {
	const t = performance.now();
	fitDrivers(factors, [...cells.values()], { higherIsBetter: true });
	times.push(performance.now() - t);
}
console.log(`cells ${cells.size}, fit ms ${times.map((t) => t.toFixed(0)).join(' / ')}`);
