/**
 * Why this exists: personal data is masked by default in every view and export: names,
 * emails, phone numbers and social handles, and the same inside free text (verbatims carry emails,
 * phone numbers and card numbers people type). Pure functions, shared by server and UI; unmasked
 * values only ever come from the audited reveal.
 */

/** "Wei Zhang" → "W•• Z••••", "张伟" → "张•". Keeps the first letter of each word. */
export function maskName(name: string): string {
	return name
		.trim()
		.split(/\s+/)
		.filter(Boolean)
		.map((w) => {
			const chars = [...w];
			return chars[0] + '•'.repeat(Math.max(1, chars.length - 1));
		})
		.join(' ');
}

/** "jane.doe@example.com" → "j•••@e•••.com". */
export function maskEmail(email: string): string {
	const at = email.lastIndexOf('@');
	if (at < 1) return email ? '•••' : '';
	const local = email.slice(0, at);
	const domain = email.slice(at + 1);
	const dot = domain.lastIndexOf('.');
	const host = dot > 0 ? domain.slice(0, dot) : domain;
	const tld = dot > 0 ? domain.slice(dot) : '';
	return `${local[0]}•••@${host[0] ?? ''}•••${tld}`;
}

/** "+86 138 0013 8000" → "•••• 8000": the last four digits stay, for a person to recognise it. */
export function maskPhone(phone: string): string {
	const digits = phone.replace(/\D/g, '');
	if (!digits) return '';
	return digits.length <= 4 ? '••••' : `•••• ${digits.slice(-4)}`;
}

/** "@janedoe" → "@j••••••". */
export function maskHandle(handle: string): string {
	const h = handle.replace(/^@/, '');
	if (!h) return '';
	return `@${h[0]}${'•'.repeat(Math.max(1, h.length - 1))}`;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// 13–19 digits with optional spaces/dashes: card-like numbers (checked before phone numbers).
const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;
// Phone-like: optional +country, 7–15 digits with spaces, dashes, dots or brackets.
const PHONE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d(?:[\s.-]?\d){6,14}/g;

const DATE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;

/** Masks emails, card-like numbers and phone numbers inside free text. */
export function maskText(text: string): string {
	return text
		.replace(EMAIL, (m) => maskEmail(m))
		.replace(CARD, (m) => {
			const d = m.replace(/\D/g, '');
			return d.length >= 13 ? `[card •••• ${d.slice(-4)}]` : m;
		})
		.replace(PHONE, (m) => {
			const d = m.replace(/\D/g, '');
			// Amounts have fewer digits (a phone number has at least 7); dates keep their shape.
			return d.length >= 7 && !DATE.test(m.trim()) ? `[phone ${maskPhone(m)}]` : m;
		});
}
