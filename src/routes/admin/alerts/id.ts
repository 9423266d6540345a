/** An id from a name, as the API asks for: lower-case letters, digits and dashes. */
export const idOf = (name: string, fallback: string) =>
	name
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60) || fallback;
