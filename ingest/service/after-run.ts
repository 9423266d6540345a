/**
 * Why this exists: work that should follow new data without ingest knowing what it is (the app's
 * alert evaluation). Listeners are told after a run stored records; they must not block ingest,
 * so they are called without waiting and their errors are only logged.
 */
type Listener = (source: string, accepted: number) => void | Promise<void>;
const listeners = new Set<Listener>();

/** Calls `fn` after each ingest run that stored records; returns the function that stops it. */
export function onIngested(fn: Listener): () => void {
	listeners.add(fn);
	return () => listeners.delete(fn);
}

export function notifyIngested(source: string, accepted: number): void {
	for (const fn of listeners)
		void Promise.resolve()
			.then(() => fn(source, accepted))
			.catch((err) => console.error(`ingest: after-run listener: ${(err as Error).message}`));
}
