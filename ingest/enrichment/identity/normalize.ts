/**
 * Why this exists: the same person appears as "Alice@Example.com " in the CRM, "+1 (415) 555-0100"
 * in the call center and "@Alice" on X. Identifiers are normalised to one spelling each — lower-case
 * email, E.164 phone (libphonenumber-js), lower-case handle per network — before they are matched.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** `email:alice@example.com`, or undefined when it is not an address. */
export function normEmail(v: unknown): string | undefined {
	if (typeof v !== 'string') return undefined;
	const s = v.trim().toLowerCase();
	return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) ? `email:${s}` : undefined;
}

/** `phone:+14155550100` (E.164), or undefined when it is not a possible number. */
export function normPhone(v: unknown, region: CountryCode = defaultRegion()): string | undefined {
	if (typeof v !== 'string' && typeof v !== 'number') return undefined;
	const p = parsePhoneNumberFromString(String(v).trim(), region);
	return p && p.isPossible() ? `phone:${p.number}` : undefined;
}

/** `x:alice` — the network is part of the identifier (the same handle elsewhere is someone else). */
export function normHandle(network: string, v: unknown): string | undefined {
	if (typeof v !== 'string') return undefined;
	const s = v.trim().replace(/^@/, '').toLowerCase();
	return s && /^[\p{L}\p{N}_.-]{1,64}$/u.test(s) ? `${network}:${s}` : undefined;
}

export function defaultRegion(): CountryCode {
	const r = process.env.TOUCHMAP_PHONE_REGION;
	return (r && /^[A-Z]{2}$/.test(r) ? r : 'US') as CountryCode;
}

/** Social networks whose authors are matched by handle. */
export const SOCIAL = new Set(['x', 'reddit', 'weibo', 'wechat', 'social']);
