/** `list` with `v` added, or removed if it was there (a multi-choice filter's click). */
export function toggle<T>(list: readonly T[], v: T): T[] {
	return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}
