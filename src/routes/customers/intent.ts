/** Intents are data (any source's labels): shown as stored, underscores read as spaces. */
export const intentLabel = (k: string) => k.replace(/_/g, ' ');
