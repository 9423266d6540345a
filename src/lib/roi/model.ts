/**
 * Why this exists: the ROI arithmetic, as one pure function of explicit inputs, shared by the server
 * (roi.summary, the measured case) and the browser (the what-if sliders recompute without a round
 * trip). Unit-tested and checked against a hand-worked example in the integration tests.
 *
 * Benefits a year, each from a KPI change between the baseline and the comparison period:
 *   retention   = (churn rate before − after) × customers × CLV
 *   handle time = (AHT before − after, minutes) × contacts handled a year × cost per minute
 *   complaints  = (complaint rate before − after) × contacts a year × cost per complaint
 *   deflection  = (contacts per customer before − after) × customers × cost per contact
 * ROI % (first year) = (annual benefit − investment) / investment
 * Payback months     = investment / (annual benefit / 12)
 * NPV                = −investment + Σ_{y=1..years} annual benefit / (1 + rate)^y
 * CLV change         = churn before / churn after − 1   (CLV ∝ margin / churn rate, margin held)
 * A worse KPI gives a negative benefit: shown, not hidden.
 */

export interface RoiLevels {
	churnRate: number | null;
	ahtSeconds: number | null;
	complaintRate: number | null;
	contactsPerCustomer: number | null;
}

export interface RoiInputs {
	investment: number;
	customers: number;
	annualContacts: number;
	/** Contacts with a handle time (calls, chats, tickets), a year. */
	annualHandledContacts: number;
	clv: number;
	costPerMinute: number;
	costPerComplaint: number;
	costPerContact: number;
	discountRate: number;
	years: number;
	industryClvUplift: number;
	before: RoiLevels;
	after: RoiLevels;
}

export interface RoiResult {
	benefits: { retention: number; handleTime: number; complaints: number; deflection: number };
	annualBenefit: number;
	roiPct: number | null;
	paybackMonths: number | null;
	npv: number;
	clvChangePct: number | null;
	/** CLV change minus the industry's, in percentage points of CLV (0.12 = 12 points ahead). */
	clvVsIndustry: number | null;
}

const diff = (a: number | null, b: number | null) => (a === null || b === null ? 0 : a - b);

export function computeRoi(i: RoiInputs): RoiResult {
	const benefits = {
		retention: diff(i.before.churnRate, i.after.churnRate) * i.customers * i.clv,
		handleTime: (diff(i.before.ahtSeconds, i.after.ahtSeconds) / 60) * i.annualHandledContacts * i.costPerMinute,
		complaints: diff(i.before.complaintRate, i.after.complaintRate) * i.annualContacts * i.costPerComplaint,
		deflection: diff(i.before.contactsPerCustomer, i.after.contactsPerCustomer) * i.customers * i.costPerContact
	};
	const annualBenefit = benefits.retention + benefits.handleTime + benefits.complaints + benefits.deflection;
	let npv = -i.investment;
	for (let y = 1; y <= i.years; y++) npv += annualBenefit / (1 + i.discountRate) ** y;
	const clvChangePct =
		i.before.churnRate !== null && i.after.churnRate !== null && i.before.churnRate > 0 && i.after.churnRate > 0
			? i.before.churnRate / i.after.churnRate - 1
			: null;
	return {
		benefits,
		annualBenefit,
		roiPct: i.investment > 0 ? (annualBenefit - i.investment) / i.investment : null,
		paybackMonths: paybackMonths(i.investment, annualBenefit),
		npv,
		clvChangePct,
		clvVsIndustry: clvChangePct === null ? null : clvChangePct - i.industryClvUplift
	};
}

/** Months until an investment is paid back by an annual benefit; null when nothing is invested or gained. */
export function paybackMonths(investment: number, annualBenefit: number): number | null {
	return investment > 0 && annualBenefit > 0 ? investment / (annualBenefit / 12) : null;
}

/**
 * One KPI change turned into money a year, by the same formulas as the programme's benefits: a
 * complaint-rate change prices as the complaints benefit, a handle-time change (seconds) as the
 * handle-time benefit. `change` is after − before (a drop is a gain). Null for a KPI no ROI
 * assumption prices (CSAT, sentiment).
 */
export function kpiChangeValue(
	kpi: 'complaintRate' | 'aht' | 'csat' | 'negativeShare',
	change: number,
	volume: { annualContacts: number; annualHandledContacts: number },
	a: { costPerComplaint: number; costPerMinute: number }
): number | null {
	if (kpi !== 'complaintRate' && kpi !== 'aht') return null;
	const none = { churnRate: null, ahtSeconds: null, complaintRate: null, contactsPerCustomer: null };
	const r = computeRoi({
		investment: 0,
		customers: 0,
		...volume,
		clv: 0,
		costPerMinute: a.costPerMinute,
		costPerComplaint: a.costPerComplaint,
		costPerContact: 0,
		discountRate: 0,
		years: 1,
		industryClvUplift: 0,
		before: kpi === 'aht' ? { ...none, ahtSeconds: 0 } : { ...none, complaintRate: 0 },
		after: kpi === 'aht' ? { ...none, ahtSeconds: change } : { ...none, complaintRate: change }
	});
	return kpi === 'aht' ? r.benefits.handleTime : r.benefits.complaints;
}

/** What-if: the baseline levels moved by slider amounts (relative changes, e.g. −0.3 = 30% lower). */
export interface WhatIf {
	churn: number;
	aht: number;
	complaints: number;
	contacts: number;
}

export function applyWhatIf(before: RoiLevels, w: WhatIf, measuredAfter?: RoiLevels): RoiLevels {
	// A level with no baseline (unknown or 0, e.g. no churn measured in the baseline period) cannot be
	// moved relatively: it keeps its measured value, so "reset to measured" reproduces the measured case.
	const move = (v: number | null, r: number, fallback: number | null | undefined) =>
		v ? v * (1 + r) : (fallback ?? v);
	return {
		churnRate: move(before.churnRate, w.churn, measuredAfter?.churnRate),
		ahtSeconds: move(before.ahtSeconds, w.aht, measuredAfter?.ahtSeconds),
		complaintRate: move(before.complaintRate, w.complaints, measuredAfter?.complaintRate),
		contactsPerCustomer: move(before.contactsPerCustomer, w.contacts, measuredAfter?.contactsPerCustomer)
	};
}

/** The relative changes between two sets of levels (to start the sliders at the measured case). */
export function whatIfOf(before: RoiLevels, after: RoiLevels): WhatIf {
	const rel = (a: number | null, b: number | null) => (a && b !== null ? b / a - 1 : 0);
	return {
		churn: rel(before.churnRate, after.churnRate),
		aht: rel(before.ahtSeconds, after.ahtSeconds),
		complaints: rel(before.complaintRate, after.complaintRate),
		contacts: rel(before.contactsPerCustomer, after.contactsPerCustomer)
	};
}

/** Sum of the investments dated on or before `asOf` (all when omitted). */
export function totalInvestment(items: { amount: number; date: string }[], asOf?: string): number {
	return items.filter((x) => !asOf || x.date <= asOf).reduce((s, x) => s + x.amount, 0);
}
