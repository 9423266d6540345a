// The `stopword` package ships plain word lists without type declarations.
declare module 'stopword' {
	const lists: Record<string, string[] | undefined>;
	export default lists;
}
