// Types for ml-cart 2.x (the package ships none): only what the churn forest uses.
declare module 'ml-cart' {
	export class DecisionTreeRegression {
		constructor(options?: { maxDepth?: number; minNumSamples?: number });
		train(features: number[][], values: number[]): void;
		predict(features: number[][]): number[];
		toJSON(): unknown;
		static load(model: unknown): DecisionTreeRegression;
	}
}
