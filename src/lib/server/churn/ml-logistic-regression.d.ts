// Types for ml-logistic-regression 2.x (the package ships none): only what the churn model uses.
declare module 'ml-logistic-regression' {
	import type { Matrix } from 'ml-matrix';
	export interface TwoClassLogReg {
		weights: Matrix | null;
		train(features: Matrix, target: Matrix): void;
		testScores(features: Matrix): number[];
	}
	export default class LogisticRegression {
		classifiers: TwoClassLogReg[];
		constructor(options?: { numSteps?: number; learningRate?: number });
		static load(model: {
			name: 'LogisticRegression';
			numSteps: number;
			learningRate: number;
			numberClasses: number;
			classifiers: { numSteps: number; learningRate: number; weights: number[][] | null }[];
		}): LogisticRegression;
	}
}
