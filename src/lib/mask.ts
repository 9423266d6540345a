/**
 * Why this exists: PII (name, email, phone) is shown masked by default — full values come with
 * access control. Pure functions, so the rule is unit-tested and the same everywhere.
 */

/** "Olivia Smith" → "O***** S****"; "王伟" → "王*". */
export function maskName(name: string): string {
	return name
		.trim()
		.split(/\s+/)
		.filter(Boolean)
		.map((w) => {
			const chars = [...w];
			return chars[0]! + '*'.repeat(Math.max(1, chars.length - 1));
		})
		.join(' ');
}

/** "olivia12@example.com" → "o*******@example.com"; the domain stays (it is not personal). */
export function maskEmail(email: string): string {
	const at = email.lastIndexOf('@');
	if (at <= 0) return email ? '*'.repeat(Math.min(8, email.length)) : '';
	const local = [...email.slice(0, at)];
	return local[0]! + '*'.repeat(Math.max(1, local.length - 1)) + email.slice(at);
}

/** "+1 415 555 0142" → "+* *** *** **42": only the last two digits stay. */
export function maskPhone(phone: string): string {
	const digits = phone.replace(/\D/g, '').length;
	let seen = 0;
	return phone.replace(/\d/g, (d) => (++seen > digits - 2 ? d : '*'));
}
