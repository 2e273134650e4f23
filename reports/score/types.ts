import type { Basis, Group, LayerId, Level, Strength, Text } from '../../catalog/index.ts';
import type { Assumption } from './rules.ts';

/** ✔ = true, ✘ = false, "/" = not assessed. */
export type Judgement = boolean | '/';
export type ManagementResult = '符合' | '部分符合' | '不符合';
export type RiskRating = '高' | '中' | '低' | '无';

/** One 测评对象 of a unit, as the assessor records it (technical: D/A/K; management: result). */
export interface ObjectInput {
  name?: string;
  applicable?: boolean;
  reason?: string;
  D?: Judgement;
  A?: Judgement;
  K?: Judgement;
  /** A = false: strength in bits of the non-compliant algorithm(s) → Ra. */
  strengthBits?: number | number[];
  Ra?: number;
  /** K = false only because products are below the required GB/T 37092 level → Rk 1.2 (L3) / 1.5 (L4). */
  kModuleLevelOnly?: boolean;
  Rk?: number;
  result?: ManagementResult;
  risk?: RiskRating;
  note?: string;
}

/** A unit: one object inline, several under `objects`, or `{applicable: false}`. */
export interface UnitInput extends ObjectInput {
  objects?: ObjectInput[];
  mitigated?: boolean;
}

export interface CompensationInput { by: string; for: string; byObject?: string; forObject?: string; note?: string }

export interface ScoreInput {
  level?: Level;
  ruleVersion?: '2023';
  system?: string;
  units: Record<string, UnitInput>;
  compensations?: CompensationInput[];
  highRisks?: { unit?: string; object?: string; description: string }[];
  unitWeights?: Record<string, number>;
  rules?: Record<string, unknown>;
}

export type UnitResultText = ManagementResult | '不适用';
export type Conclusion = '符合' | '基本符合' | '不符合' | '待人工判定';

export interface CompensationApplied {
  by: string;
  byObject: string | null;
  /** P_A: the compensating object's original score (or min/max/mean of the unit's objects when none is named) */
  pA: number;
  /** compensationFactor · P_A, 4 dp */
  candidate: number;
  /** whether the candidate exceeded the object's own score and replaced it */
  applied: boolean;
}

export interface ObjectScore {
  name: string;
  applicable: boolean;
  naReason?: string;
  D?: Judgement;
  A?: Judgement;
  K?: Judgement;
  result?: ManagementResult;
  Ra?: number;
  RaSource?: 'strengthBits' | 'input';
  strengthBits?: number;
  Rk?: number;
  RkSource?: 'kModuleLevelOnly' | 'default' | 'input';
  /** score from the D/A/K table (or 1/0.5/0), 4 dp; null when not applicable */
  baseScore: number | null;
  compensations: CompensationApplied[];
  /** final object score after compensation, 4 dp */
  score: number | null;
  explanation: string;
}

export interface UnitScore {
  id: string;
  layer: LayerId;
  kind: Group;
  title: Text;
  clause: string;
  strength: Strength;
  strengthBasis: Basis;
  weight: number;
  weightBasis: Basis | 'input';
  applicable: boolean;
  naReason?: string;
  score: number | null;
  result: UnitResultText;
  objects: ObjectScore[];
  explanation: string;
}

export interface LayerScore {
  id: LayerId;
  zh: string;
  en: string;
  group: Group;
  weight: number;
  applicable: boolean;
  score: number | null;
  units: string[];
  explanation: string;
}

export interface GroupScore {
  id: Group;
  weight: number;
  applicable: boolean;
  /** weighted mean of the group's applicable layers, 4 dp (shown; the total uses the exact value) */
  score: number | null;
  /** weight × mean, 4 dp (shown; the total uses the exact value) */
  contribution: number | null;
  explanation: string;
}

export interface HighRiskItem {
  unit?: string;
  object?: string;
  source: 'input' | 'derived';
  /** the rule constant that presumed it (derived items) */
  rule?: string;
  basis: Basis | 'input';
  description: string;
  descriptionEn: string;
}

export interface ScoreResult {
  schemaVersion: '1.0';
  ruleVersion: '2023';
  level: Level;
  system?: string;
  /** total score, 2 dp half-up; null when a whole group is 不适用 and the rule refuses to total */
  total: number | null;
  totalText: string | null;
  conclusion: Conclusion;
  conclusionEn: 'conformant' | 'basically conformant' | 'non-conformant' | 'undetermined';
  conclusionReason: { zh: string; en: string };
  groups: GroupScore[];
  layers: LayerScore[];
  units: UnitScore[];
  highRisks: HighRiskItem[];
  assumptions: Assumption[];
  warnings: string[];
  /** the chain total → groups → layers in words, top-down; units and objects carry their own explanation */
  explanation: string[];
}
