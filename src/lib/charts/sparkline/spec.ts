/**
 * Why this exists: a tiny trend line (pain-point badness per week or month) as an SVG path, pure so
 * it is unit-tested; gaps (buckets too small to judge) break the line instead of faking a value.
 */
import { line, scaleLinear } from 'd3';

export function buildSparkline(values: (number | null)[], opts: { width: number; height: number; max?: number }) {
	const max = opts.max ?? Math.max(0.0001, ...values.filter((v): v is number => v !== null));
	const x = scaleLinear()
		.domain([0, Math.max(1, values.length - 1)])
		.range([1, opts.width - 1]);
	const y = scaleLinear()
		.domain([0, max])
		.range([opts.height - 1, 1]);
	const path =
		line<number | null>()
			.defined((v) => v !== null)
			.x((_, i) => x(i))
			.y((v) => y(v ?? 0))(values) ?? '';
	const last = [...values].reverse().find((v) => v !== null) ?? null;
	const lastIndex = values.lastIndexOf(last);
	return { path, last: last === null ? null : { x: x(lastIndex), y: y(last) } };
}
