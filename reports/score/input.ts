import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import type { ScoreInput } from './types.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const SCORE_INPUT_SCHEMA_PATH = join(HERE, '..', 'schema', 'score-input.schema.json');
export const SCORE_RESULT_SCHEMA_PATH = join(HERE, '..', 'schema', 'score.schema.json');

let validator: ReturnType<Ajv2020['compile']> | undefined;

function describe(e: ErrorObject): { path: string; message: string } {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return { path: `${e.instancePath}/${String(p.additionalProperty)}`, message: `unknown field ${String(p.additionalProperty)}` };
  if (e.keyword === 'enum') return { path: e.instancePath, message: `must be one of ${JSON.stringify(p.allowedValues)}` };
  if (e.keyword === 'propertyNames') return { path: `${e.instancePath}/${String(p.propertyName)}`, message: `${String(p.propertyName)} is not a unit id (like 6.2.1 or 7.4.3)` };
  if (e.keyword === 'required') return { path: e.instancePath, message: `missing required field ${String(p.missingProperty)}` };
  return { path: e.instancePath, message: e.message ?? e.keyword };
}

/** Validates against reports/schema/score-input.schema.json; returns problems with JSON pointers (empty = valid). */
export function validateScoreInput(value: unknown): { path: string; message: string }[] {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    validator = ajv.compile(JSON.parse(readFileSync(SCORE_INPUT_SCHEMA_PATH, 'utf8')) as object);
  }
  if (validator(value)) return [];
  // oneOf/propertyNames produce follow-on errors; keep the first per path and drop the generic "must match" ones
  const seen = new Set<string>();
  const out: { path: string; message: string }[] = [];
  for (const e of validator.errors ?? []) {
    if (e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const d = describe(e);
    const k = `${d.path} ${d.message}`;
    if (!seen.has(k)) { seen.add(k); out.push(d); }
  }
  return out;
}

export type { ScoreInput };
