/** Texts of three contact reasons nobody wrote rules for, each in three wordings. */
export const TOPICS = [
	[
		'my pension transfer to the new scheme is still pending',
		'pension transfer between schemes has taken months',
		'why is the pension transfer value lower than the statement'
	],
	[
		'the solar inverter shows an error code after the storm',
		'solar panel inverter error keeps flashing red',
		'inverter error code on my solar system again'
	],
	[
		'please update the beneficiary on my life policy',
		'change of beneficiary form for the life policy',
		'how do I add a second beneficiary to my policy'
	]
] as const;
