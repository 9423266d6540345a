/**
 * Why this exists: the Reasons page's endpoint `npm run bench` measures — the contact reasons of a
 * range with their measures, trend and examples, for varied ranges and channel sets.
 */
import type { BenchEndpoints } from './types';

export const endpoints: BenchEndpoints = ({ filter }) => ({
	'reasons.list': filter
});
