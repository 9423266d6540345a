/** Money as executives read it: compact ("¥41M", "4100万"), in the assumptions' currency. */
export function moneyFormat(locale: string, currency: string): (v: number) => string {
	const f = new Intl.NumberFormat(locale, {
		style: 'currency',
		currency,
		notation: 'compact',
		maximumFractionDigits: 1
	});
	return (v) => f.format(v);
}
