/**
 * Why this exists: board-deck exports, all in the browser with nothing fetched from elsewhere:
 * CSV of the numbers on a page, PNG of a page section (html-to-image), and PDF through the
 * browser's print dialog (print CSS in app.css hides the navigation).
 */
import { toPng } from 'html-to-image';
import { BOM, toCsv, type CsvValue } from './csv';

export { toCsv };

function download(href: string, filename: string) {
	const a = document.createElement('a');
	a.href = href;
	a.download = filename;
	document.body.append(a);
	a.click();
	a.remove();
}

export function downloadCsv(rows: CsvValue[][], filename: string): void {
	const url = URL.createObjectURL(new Blob([BOM, toCsv(rows)], { type: 'text/csv;charset=utf-8' }));
	download(url, filename);
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function downloadPng(node: HTMLElement, filename: string): Promise<void> {
	const url = await toPng(node, { backgroundColor: '#f5f7fa', pixelRatio: 2, cacheBust: true });
	download(url, filename);
}
