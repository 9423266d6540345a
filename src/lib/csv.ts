/**
 * Why this exists: the one CSV writer every export uses — the server's file downloads and the
 * browser's "download CSV" buttons. RFC 4180 quoting, and a cell a spreadsheet would run as a
 * formula (one starting with =, +, -, @, a tab or a carriage return) gets a leading apostrophe, so
 * an imported `=HYPERLINK(…)` in a customer id is shown as text, never run. Plain numbers (-1.5)
 * stay numbers.
 */
export type CsvValue = string | number | boolean | null | undefined;

/** A UTF-8 byte-order mark, so spreadsheet tools read Chinese text correctly. */
export const BOM = '\ufeff';

const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

export function csvCell(v: CsvValue): string {
	if (v === null || v === undefined) return '';
	let s = String(v);
	if (FORMULA.test(s) && !NUMBER.test(s)) s = `'${s}`;
	return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * A figure rounded to `digits` decimals, kept a number (0.1235, not "0.1235" or "12.3%"), so a
 * spreadsheet sums and sorts it; nothing (an empty cell) when there is no figure.
 */
export function figure(v: number | null | undefined, digits: number): number | null {
	return v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toFixed(digits));
}

export function csvLine(values: CsvValue[]): string {
	return values.map(csvCell).join(',') + '\r\n';
}

export function toCsv(rows: CsvValue[][]): string {
	return rows.map(csvLine).join('');
}
