/**
 * Why this exists: a churn reason in the reader's language (the at-risk list and the customer
 * 360 show the same words), the customer's value beside the typical one. Known features are
 * translated by key and direction; a CRM attribute or category has generic words with its name.
 */
import type { Reason } from '$schemas/customers';
import { fmtNum } from '$lib/format';

type Translate = (key: string, opts: { values: Record<string, string | number>; default: string }) => string;

const pretty = (name: string) => name.replace(/^attr:/, '').replace(/_/g, ' ');

export function reasonWords(t: Translate, r: Reason, locale: string): string {
	const num = (x: number) => fmtNum(x, locale, Number.isInteger(x) ? 0 : 1);
	// Account ages read in one unit for both: months up to five years, else years.
	const inMonths = Math.max(r.value ?? 0, r.typical ?? 0) < 5;
	const age = (years: number) => {
		const n = Math.round(inMonths ? years * 12 : years);
		return t(inMonths ? 'customers.reason.months' : 'customers.reason.years', { values: { n }, default: String(n) });
	};
	const say = (key: string, values: Record<string, string>) => {
		const words = t(key, { values, default: '' });
		return words && words !== key ? words : '';
	};
	if (r.value === null) return say('customers.reason.noContact', {}) || r.text;
	if (r.feature.includes('=')) {
		const [col, ...rest] = r.feature.split('=');
		// A CRM column's name and values in the reader's words where the dictionary knows them.
		const value = (v: string) =>
			col === 'tier'
				? t(`customers.tier.${v}`, { values: {}, default: v })
				: t(`domain.${col}.${v}`, { values: {}, default: v });
		return (
			say('customers.reason.category', {
				name: t(`domain.field.${col}`, { values: {}, default: pretty(col!) }),
				v: value(rest.join('=')),
				t: r.typicalLabel ? value(r.typicalLabel) : ''
			}) || r.text
		);
	}
	const fmt = r.feature === 'tenure_years' ? age : num;
	const values = { v: fmt(r.value), t: r.typical === null ? '–' : fmt(r.typical) };
	const known = say(`customers.reason.${r.feature}.${r.above ? 'above' : 'below'}`, values);
	if (known) return known;
	if (r.feature.startsWith('attr:'))
		return say('customers.reason.attr', { name: pretty(r.feature), ...values }) || r.text;
	return r.text;
}
