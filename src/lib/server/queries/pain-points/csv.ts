/**
 * Why this exists: CSV exports (pain-point list, a pain point's interactions) in one format: RFC
 * 4180 quoting, a UTF-8 byte-order mark so spreadsheet tools read Chinese text correctly, and cells
 * that would start a formula (=, +, -, @) prefixed with an apostrophe (CSV injection).
 */
export const BOM = '\ufeff';

export function csvCell(v: string | number | boolean | null | undefined): string {
	if (v === null || v === undefined) return '';
	let s = String(v);
	if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: (string | number | boolean | null | undefined)[]): string {
	return values.map(csvCell).join(',') + '\r\n';
}
