/**
 * Why this exists: a churn reason in the reader's language (the at-risk list and the customer
 * 360 show the same words). Known features are translated by key and direction; a CRM attribute
 * feature falls back to the server's English words.
 */
import type { Reason } from '$schemas/customers';
import { fmtNum } from '$lib/format';

type Translate = (key: string, opts: { values: Record<string, string>; default: string }) => string;

export function reasonWords(t: Translate, r: Reason, locale: string): string {
	const key = `customers.reason.${r.feature}.${r.above ? 'above' : 'below'}`;
	const words = t(key, { values: { v: fmtNum(r.value, locale, Number.isInteger(r.value) ? 0 : 1) }, default: '' });
	return words && words !== key ? words : r.text;
}
