/** A sentiment as a word key and an icon as well as a colour: negative, neutral, positive or unknown. */
export function mood(s: number | null): { key: string; icon: string } {
	if (s === null) return { key: 'unknown', icon: '○' };
	if (s < -0.25) return { key: 'negative', icon: '☹' };
	if (s > 0.25) return { key: 'positive', icon: '☺' };
	return { key: 'neutral', icon: '◐' };
}
