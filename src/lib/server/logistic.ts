/**
 * Why this exists: two models are fitted by logistic regression with mljs `ml-logistic-regression`
 * — churn risk (churn/model.ts) and the English sentiment ensemble's stacking (scripts/train-text.ts).
 * The library's two-class learner is reached through `load` with one classifier, and its gradient
 * is a sum over rows, so the step is divided by n; this is that, once.
 */
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';

/**
 * Weights [intercept, one per feature] for 0/1 labels, by `steps` gradient steps of `rate` on the
 * mean gradient. Features should be on comparable scales (standardised).
 */
export function fitLogistic(features: number[][], labels: number[], steps: number, rate: number): number[] {
	const learningRate = rate / labels.length;
	const clf = LogisticRegression.load({
		name: 'LogisticRegression',
		numSteps: steps,
		learningRate,
		numberClasses: 1,
		classifiers: [{ numSteps: steps, learningRate, weights: null }]
	}).classifiers[0]!;
	clf.train(new Matrix(features.map((x) => [1, ...x])), Matrix.columnVector(labels));
	return clf.weights!.to1DArray();
}
