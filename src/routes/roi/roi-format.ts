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
