/**
 * Why this exists: board-deck exports, all in the browser with nothing fetched from elsewhere:
 * CSV of the numbers on a page, PNG of a page section (html-to-image), and PDF through the
 * browser's print dialog (print CSS in app.css hides the navigation).
 */
import { toPng } from 'html-to-image';

/** RFC 4180 CSV: fields with commas, quotes or line breaks are quoted, quotes doubled. */
export function toCsv(rows: (string | number | null | undefined)[][]): string {
	const cell = (v: string | number | null | undefined) => {
		const s = v === null || v === undefined ? '' : String(v);
		return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
	};
	return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

function download(href: string, filename: string) {
	const a = document.createElement('a');
	a.href = href;
	a.download = filename;
	document.body.append(a);
	a.click();
	a.remove();
}

export function downloadCsv(rows: (string | number | null | undefined)[][], filename: string): void {
	// A byte-order mark so spreadsheet programs read the Chinese labels as UTF-8.
	const url = URL.createObjectURL(new Blob(['\ufeff', toCsv(rows)], { type: 'text/csv;charset=utf-8' }));
	download(url, filename);
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function downloadPng(node: HTMLElement, filename: string): Promise<void> {
	const url = await toPng(node, { backgroundColor: '#f5f7fa', pixelRatio: 2, cacheBust: true });
	download(url, filename);
}
