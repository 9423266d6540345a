/**
 * Why this exists: every text model is stored the same way — `<name>.json` (header) and `<name>.bin`
 * (weights) — and the word-vector tables as int8 rows with one Float32 scale each. One reader checks
 * the size (a file from another training says so instead of scoring garbage) and hands back an
 * aligned view; one function turns int8 rows back into floats.
 */
import { readFileSync } from 'node:fs';

/** The header and an aligned copy of the weights; `expectedBytes` is the size the header implies. */
export function readModelFiles<H>(
	basePath: string,
	expectedBytes: (header: H) => number
): { header: H; bytes: Uint8Array } {
	const header = JSON.parse(readFileSync(`${basePath}.json`, 'utf8')) as H;
	const buf = readFileSync(`${basePath}.bin`);
	const expected = expectedBytes(header);
	if (buf.byteLength !== expected)
		throw new Error(
			`Model ${basePath}.bin has ${buf.byteLength} bytes, expected ${expected}: retrain with npm run train:text`
		);
	// A Buffer from readFileSync may sit at an odd offset in a pool: copied then. Otherwise used as
	// it is — a copy would hold every model twice in each thread until a collection.
	if (buf.byteOffset % 8 === 0) return { header, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
	const bytes = new Uint8Array(buf.byteLength);
	bytes.set(buf);
	return { header, bytes };
}

/** `rows` int8 rows of `width` at byte `offset`, each times its scale (`scales[row]`). */
export function dequantizeRows(bytes: Uint8Array, offset: number, scales: Float32Array, width: number): Float32Array {
	const rows = scales.length;
	const q = new Int8Array(bytes.buffer, bytes.byteOffset + offset, rows * width);
	const out = new Float32Array(rows * width);
	for (let r = 0; r < rows; r++) {
		const s = scales[r]!;
		for (let j = 0; j < width; j++) out[r * width + j] = q[r * width + j]! * s;
	}
	return out;
}
