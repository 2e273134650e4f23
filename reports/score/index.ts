/**
 * 2023 quantitative scoring of GB/T 39786-2021 (商用密码应用安全性评估量化评估规则 2023版).
 * `scoreEvaluation(input, { catalog })` is pure; the explanation chain object → unit → layer → total is in the result.
 */
export { scoreEvaluation, ScoreInputError, type ScoreOptions } from './score.ts';
export { resolveRules, RULE_VALUE_SCHEMAS, type Rules, type Assumption } from './rules.ts';
export { Dec } from './decimal.ts';
export { validateScoreInput, SCORE_INPUT_SCHEMA_PATH, SCORE_RESULT_SCHEMA_PATH } from './input.ts';
export { formatScoreTable } from './table.ts';
export type * from './types.ts';
