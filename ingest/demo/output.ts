/**
 * Why this exists: the demo files are written as the systems that export them write them — CSV
 * with a header and quoting where needed, NDJSON one object a line — through buffered streams
 * that respect backpressure, so 10M interactions are written in constant memory.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

/** One CSV cell: quoted when it holds a quote, comma or line break. */
const csv = (v: string | number | boolean | null | undefined) => {
	if (v === null || v === undefined) return '';
	const s = String(v);
	return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Buffered writer that respects stream backpressure. */
export class Out {
	private buf: string[] = [];
	private size = 0;
	rows = 0;
	private readonly stream: WriteStream;
	constructor(path: string, header?: string) {
		this.stream = createWriteStream(path, 'utf8');
		if (header) this.buf.push(header + '\n');
	}
	/** One CSV row, its cells in the schema's column order. */
	csv<T extends Record<string, string>>(columns: readonly (keyof T)[], rec: T) {
		let s = '';
		for (let k = 0; k < columns.length; k++) s += (k ? ',' : '') + csv(rec[columns[k]!]!);
		this.line(s);
	}
	line(s: string) {
		this.buf.push(s, '\n');
		this.size += s.length;
		this.rows++;
	}
	async flush(force = false) {
		if (!force && this.size < 1 << 20) return;
		const ok = this.stream.write(this.buf.join(''));
		this.buf = [];
		this.size = 0;
		if (!ok) await once(this.stream, 'drain');
	}
	async close() {
		await this.flush(true);
		this.stream.end();
		await once(this.stream, 'finish');
	}
}

/** The demo's source files. */
export type DemoFiles = Record<'customers' | 'orders' | 'tickets' | 'calls' | 'posts', Out>;

/** Ids run on across customers, as a real export's do. */
export interface Sequences {
	order: number;
	call: number;
	ticket: number;
	post: number;
}
