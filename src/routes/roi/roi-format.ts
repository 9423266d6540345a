/** Money as executives read it: compact ("¥41M", "4100万"), in the assumptions' currency. */
export function moneyFormat(locale: string, currency: string): (v: number) => string {
	// No currency set (or not a code Intl knows): plain compact numbers, never a made-up symbol.
	let f: Intl.NumberFormat;
	try {
		f = new Intl.NumberFormat(locale, {
			...(currency ? { style: 'currency' as const, currency } : {}),
			notation: 'compact',
			maximumFractionDigits: 1
		});
	} catch {
		f = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
	}
	return (v) => f.format(v);
}

/** Benefit terms left out for want of a baseline (from the summary's warnings). */
export function missingBenefits(warnings: readonly string[]): string[] {
	const TERMS: Record<string, string> = {
		retentionNoBaseline: 'retention',
		handleTimeNoBaseline: 'handleTime',
		complaintsNoBaseline: 'complaints',
		deflectionNoBaseline: 'deflection'
	};
	return warnings.flatMap((w) => (TERMS[w] ? [TERMS[w]] : []));
}
