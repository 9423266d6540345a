import type { CustomerRules } from '$schemas/customers';

type Translate = (key: string, opts: { values: Record<string, number> }) => string;

/** A churn signal's name with the rule's numbers in it ("no contact in 90 days"). */
export function signalLabel(t: Translate, rules: CustomerRules | undefined, k: string): string {
	if (!rules) return k;
	return t(`customers.signal.${k}`, {
		values: {
			days: k === 'repeat_complaints' ? rules.churn.repeatWindowDays : rules.churn.quietDays,
			min: rules.churn.repeatMin,
			drop: rules.churn.sentimentDrop
		}
	});
}
