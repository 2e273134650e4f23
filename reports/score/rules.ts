import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Basis, Catalog, Group, LayerId } from '../../catalog/index.ts';

/** The constants of the 2023 rule, resolved from catalog/rules-2023.yaml plus per-evaluation overrides. */
export interface Rules {
  layerWeights: Record<LayerId, number>;
  groupWeights: Record<Group, number>;
  raBands: { minBits: number; ra: number }[];
  raSeveralAlgorithms: 'weakest' | 'strongest';
  rkLevel3: number;
  rkLevel4: number;
  rkOtherwise: number;
  compensationFactor: number;
  compensationUnnamedObjects: 'min' | 'max' | 'mean';
  passThreshold: number;
  compareRoundedTotal: boolean;
  groupNotApplicable: 'refuse' | 'renormalize';
  partialNotApplicableDimension: 'satisfied' | 'error';
  highRiskFromCandidates: { enabled: boolean; bases: Basis[] };
  highRiskWeakAlgorithmBits: number;
}

export interface Assumption {
  id: string;
  value: unknown;
  basis: Basis | 'input';
  source: string;
  /** true when the evaluation overrode the catalogue value */
  overridden: boolean;
}

const weight = { type: 'number', minimum: 0 };
const layerIds = ['physical', 'network', 'device', 'application', 'policy', 'personnel', 'operation', 'emergency'];

/** Shape of each constant, so an override with a wrong type is an input error rather than a NaN in the total. */
export const RULE_VALUE_SCHEMAS: Record<keyof Rules, object> = {
  layerWeights: { type: 'object', required: layerIds, additionalProperties: false, properties: Object.fromEntries(layerIds.map((l) => [l, weight])) },
  groupWeights: { type: 'object', required: ['technical', 'management'], additionalProperties: false, properties: { technical: weight, management: weight } },
  raBands: {
    type: 'array', minItems: 1,
    items: { type: 'object', required: ['minBits', 'ra'], additionalProperties: false, properties: { minBits: { type: 'number', minimum: 0 }, ra: { type: 'number', exclusiveMinimum: 0, maximum: 1 } } },
  },
  raSeveralAlgorithms: { enum: ['weakest', 'strongest'] },
  rkLevel3: { type: 'number', exclusiveMinimum: 0 },
  rkLevel4: { type: 'number', exclusiveMinimum: 0 },
  rkOtherwise: { type: 'number', exclusiveMinimum: 0 },
  compensationFactor: { type: 'number', minimum: 0, maximum: 1 },
  compensationUnnamedObjects: { enum: ['min', 'max', 'mean'] },
  passThreshold: { type: 'number', minimum: 0, maximum: 100 },
  compareRoundedTotal: { type: 'boolean' },
  groupNotApplicable: { enum: ['refuse', 'renormalize'] },
  partialNotApplicableDimension: { enum: ['satisfied', 'error'] },
  highRiskFromCandidates: {
    type: 'object', required: ['enabled', 'bases'], additionalProperties: false,
    properties: { enabled: { type: 'boolean' }, bases: { type: 'array', items: { enum: ['verified', 'single-source', 'unverified'] } } },
  },
  highRiskWeakAlgorithmBits: { type: 'number', minimum: 0 },
};

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validators = Object.fromEntries(Object.entries(RULE_VALUE_SCHEMAS).map(([k, s]) => [k, ajv.compile(s)]));

export class RuleOverrideError extends Error {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
}

/**
 * Resolves the rule constants. `overrides` come from the input's "rules" (path prefix `/rules`) or the API caller.
 * Throws RuleOverrideError naming the override that is unknown or of the wrong shape; a catalogue that lacks a
 * constant is a catalogue defect and throws a plain Error.
 */
export function resolveRules(catalog: Catalog, overrides: Record<string, unknown> = {}, pathPrefix = '/rules'): { rules: Rules; assumptions: Assumption[] } {
  const problems: { path: string; message: string }[] = [];
  for (const [id, v] of Object.entries(overrides)) {
    const validate = validators[id];
    if (!validate) { problems.push({ path: `${pathPrefix}/${id}`, message: `unknown rule constant (known: ${Object.keys(RULE_VALUE_SCHEMAS).join(', ')})` }); continue; }
    if (!validate(v)) problems.push({ path: `${pathPrefix}/${id}`, message: (validate.errors ?? []).map((e) => `${e.instancePath || 'value'} ${e.message}`).join(', ') });
  }
  if (problems.length) throw new RuleOverrideError(problems);
  const values: Record<string, unknown> = {};
  const assumptions: Assumption[] = [];
  for (const id of Object.keys(RULE_VALUE_SCHEMAS)) {
    const c = catalog.rules.byId.get(id);
    if (!c) throw new Error(`catalog/rules-2023.yaml lacks rule constant ${id}`);
    if (!validators[id]!(c.value)) throw new Error(`catalog/rules-2023.yaml: rule ${id} has a malformed value`);
    const overridden = Object.prototype.hasOwnProperty.call(overrides, id);
    values[id] = overridden ? overrides[id] : c.value;
    assumptions.push({ id, value: values[id], basis: overridden ? 'input' : c.basis, source: c.source, overridden });
  }
  const rules = values as unknown as Rules;
  rules.raBands = [...rules.raBands].sort((a, b) => b.minBits - a.minBits);
  return { rules, assumptions };
}
