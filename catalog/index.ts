import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { parseYamlLocated, SourceSyntaxError, type LocatedDocument } from './source-location.ts';

/** The requirement catalogue as typed data: GB/T 39786 units, T/TCGIA 0003 clauses, licence / GM/T 0034-0038 items, scoring rules. */

export type Level = 1 | 2 | 3 | 4;
export const LEVELS: readonly Level[] = [1, 2, 3, 4];
export type Basis = 'verified' | 'single-source' | 'unverified';
export type Strength = '可' | '宜' | '应';
export type Dimension = 'D' | 'A' | 'K';
export type Group = 'technical' | 'management';
export type LayerId = 'physical' | 'network' | 'device' | 'application' | 'policy' | 'personnel' | 'operation' | 'emergency';
export type Method = 'test' | 'examine' | 'interview';

export interface Text { zh: string; en: string }
export interface Layer { id: LayerId; zh: string; en: string; group: Group }

/** Per-level arrays are indexed level-1 (entry 0 = level 1); null = no requirement, not assessed at that level. */
export interface Unit {
  id: string;
  layer: LayerId;
  kind: Group;
  dak: Dimension[];
  title: Text;
  clause: (string | null)[];
  strength: (Strength | null)[];
  strengthBasis: (Basis | null)[];
  weight: (number | null)[];
  weightBasis: (Basis | null)[];
  highRisk?: { levels: Level[]; basis: Basis; mitigable?: boolean; note?: string };
  compensatesWith: string[];
  note?: string;
}

export interface PlatformClause {
  id: string;
  section: string;
  title: string;
  text: string;
  strength: '应' | '宜' | '可' | '—';
  method: Method;
  subject: 'platform' | 'operator' | 'regulator' | 'evaluator';
}

export type LicenceStd = 'LICENCE-CA' | 'LICENCE-KM' | 'LICENCE-MGMT' | 'GMT0034' | 'GMT0037' | 'GMT0038';
export interface LicenceItem {
  std: LicenceStd;
  id: string;
  part?: string;
  title: string;
  titleEn?: string;
  text?: string;
  system?: string;
  method: Method;
  basis: Basis;
}

export interface RuleConstant { id: string; value: unknown; basis: Basis; source: string }

export interface Catalog {
  gbt39786: { standard: 'GBT39786-2021'; title: Text; layers: Layer[]; units: Unit[]; unitById: Map<string, Unit>; layerById: Map<LayerId, Layer> };
  ttcgia0003: { standard: 'TTCGIA0003-2023'; title: Text; clauses: PlatformClause[]; clauseById: Map<string, PlatformClause> };
  licence: { items: LicenceItem[]; documents: { std: LicenceStd; zh: string; en: string }[] };
  rules: { ruleVersion: '2023'; constants: RuleConstant[]; byId: Map<string, RuleConstant> };
  /** Every (std, clause) pair the catalogue knows, as `${std} ${clause}`. */
  clauseKeys: Set<string>;
}

/** A catalogue file that is malformed: names the file, the field (JSON pointer) and, when known, the line. */
export class CatalogError extends Error {
  constructor(readonly file: string, readonly problems: { field: string; line?: number; message: string }[]) {
    super(`${file}: ${problems.map((p) => `${p.field || '/'}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`).join('; ')}`);
    this.name = 'CatalogError';
  }
}

const HERE = dirname(fileURLToPath(import.meta.url));
export const CATALOG_DIR = HERE;

export const CATALOG_FILES = {
  gbt39786: { file: 'gbt39786.yaml', schema: 'schema/gbt39786.schema.json' },
  ttcgia0003: { file: 'ttcgia0003.yaml', schema: 'schema/ttcgia0003.schema.json' },
  licence: { file: 'licence.yaml', schema: 'schema/licence.schema.json' },
  rules: { file: 'rules-2023.yaml', schema: 'schema/rules.schema.json' },
} as const;

function ajvErrors(errors: ErrorObject[] | null | undefined, doc: LocatedDocument) {
  return (errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'`
      : e.keyword === 'enum' ? ` ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}` : '';
    return { field: e.instancePath, line: doc.locate(e.instancePath)?.line, message: `${e.message ?? e.keyword}${extra}` };
  });
}

/** Reads one catalogue file and validates it against its schema; throws CatalogError naming file, field and line. */
export function readCatalogFile(dir: string, name: keyof typeof CATALOG_FILES): { value: unknown; doc: LocatedDocument; file: string } {
  const { file, schema } = CATALOG_FILES[name];
  const path = join(dir, file);
  const shown = relative(process.cwd(), path) || path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CatalogError(shown, [{ field: '', message: `cannot read: ${(err as Error).message}` }]);
  }
  let doc: LocatedDocument;
  try {
    doc = parseYamlLocated(text);
  } catch (err) {
    const e = err as SourceSyntaxError;
    throw new CatalogError(shown, [{ field: '', line: e.line, message: `YAML syntax: ${e.message}` }]);
  }
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  const validate = ajv.compile(JSON.parse(readFileSync(join(HERE, schema), 'utf8')) as object);
  if (!validate(doc.value)) throw new CatalogError(shown, ajvErrors(validate.errors, doc));
  return { value: doc.value, doc, file: shown };
}

/** Cross-field rules a JSON Schema cannot say. Returns the problems found (empty = consistent). */
function checkUnits(layers: Layer[], units: Unit[], doc: LocatedDocument) {
  const problems: { field: string; line?: number; message: string }[] = [];
  const at = (i: number, f: string, message: string) => {
    const field = `/units/${i}${f}`;
    problems.push({ field, line: doc.locate(field)?.line, message });
  };
  const group = new Map(layers.map((l) => [l.id, l.group]));
  const ids = new Map<string, number>();
  units.forEach((u, i) => {
    if (ids.has(u.id)) at(i, '/id', `duplicate unit id ${u.id}`);
    ids.set(u.id, i);
    const g = group.get(u.layer);
    if ((g === 'technical') !== u.id.startsWith('6.')) at(i, '/layer', `unit ${u.id} is in ${g} layer ${u.layer}`);
    if (g === 'technical' && u.dak.length !== 3) at(i, '/dak', 'technical units are judged on D, A and K');
    if (g === 'management' && u.dak.length !== 0) at(i, '/dak', 'management units have no D/A/K');
    for (let l = 0; l < 4; l++) {
      const present = [u.clause[l], u.strength[l], u.strengthBasis[l], u.weight[l], u.weightBasis[l]].map((v) => v !== null);
      if (present.some((p) => p !== present[0])) at(i, '', `level ${l + 1}: clause, strength, weight and their bases must all be given or all be null`);
      const c = u.clause[l];
      if (c && !c.startsWith(`${l + 6}.`)) at(i, `/clause/${l}`, `level ${l + 1} clause must be in chapter ${l + 6}`);
    }
  });
  units.forEach((u, i) => {
    for (const other of u.compensatesWith) {
      const j = ids.get(other);
      if (j === undefined) at(i, '/compensatesWith', `unknown unit ${other}`);
      else if (!units[j]!.compensatesWith.includes(u.id)) at(i, '/compensatesWith', `${other} does not list ${u.id} back`);
    }
  });
  return problems;
}

let cached: Catalog | undefined;

/** Loads and validates every catalogue file (cached for the default folder). */
export function loadCatalog(dir: string = HERE): Catalog {
  if (dir === HERE && cached) return cached;
  const g = readCatalogFile(dir, 'gbt39786');
  const gv = g.value as { standard: 'GBT39786-2021'; title: Text; layers: Layer[]; units: Omit<Unit, 'kind' | 'compensatesWith'>[] & { compensatesWith?: string[] }[] };
  const layers = gv.layers;
  const groupOf = new Map(layers.map((l) => [l.id, l.group]));
  const units: Unit[] = (gv.units as (Omit<Unit, 'kind' | 'compensatesWith'> & { compensatesWith?: string[] })[]).map((u) => ({
    ...u,
    kind: groupOf.get(u.layer)!,
    compensatesWith: u.compensatesWith ?? [],
  }));
  const problems = checkUnits(layers, units, g.doc);
  if (problems.length) throw new CatalogError(g.file, problems);

  const t = readCatalogFile(dir, 'ttcgia0003');
  const tv = t.value as { standard: 'TTCGIA0003-2023'; title: Text; clauses: PlatformClause[] };
  const clauseById = new Map<string, PlatformClause>();
  tv.clauses.forEach((c, i) => {
    if (clauseById.has(c.id)) throw new CatalogError(t.file, [{ field: `/clauses/${i}/id`, line: t.doc.locate(`/clauses/${i}/id`)?.line, message: `duplicate clause ${c.id}` }]);
    clauseById.set(c.id, c);
  });

  const li = readCatalogFile(dir, 'licence');
  const lv = li.value as Catalog['licence'];
  const seen = new Set<string>();
  lv.items.forEach((it, i) => {
    const k = `${it.std} ${it.id}`;
    if (seen.has(k)) throw new CatalogError(li.file, [{ field: `/items/${i}/id`, line: li.doc.locate(`/items/${i}/id`)?.line, message: `duplicate item ${k}` }]);
    seen.add(k);
  });

  const r = readCatalogFile(dir, 'rules');
  const rv = r.value as { ruleVersion: '2023'; rules: RuleConstant[] };

  const clauseKeys = new Set<string>();
  for (const u of units) for (const c of u.clause) if (c) clauseKeys.add(`GBT39786-2021 ${c}`);
  for (const c of tv.clauses) clauseKeys.add(`TTCGIA0003-2023 ${c.id}`);
  for (const it of lv.items) clauseKeys.add(`${it.std} ${it.id}`);

  const catalog: Catalog = {
    gbt39786: { standard: gv.standard, title: gv.title, layers, units, unitById: new Map(units.map((u) => [u.id, u])), layerById: new Map(layers.map((l) => [l.id, l])) },
    ttcgia0003: { standard: tv.standard, title: tv.title, clauses: tv.clauses, clauseById },
    licence: lv,
    rules: { ruleVersion: rv.ruleVersion, constants: rv.rules, byId: new Map(rv.rules.map((c) => [c.id, c])) },
    clauseKeys,
  };
  if (dir === HERE) cached = catalog;
  return catalog;
}

/** Units assessed at a level (those with a weight at that level), in catalogue order. */
export function unitsAtLevel(catalog: Catalog, level: Level): Unit[] {
  return catalog.gbt39786.units.filter((u) => u.weight[level - 1] !== null);
}

/** Standards whose clauses this catalogue holds; clauses of other standards are reported, not judged. */
export const CATALOGUED_STANDARDS = ['GBT39786-2021', 'TTCGIA0003-2023', 'LICENCE-CA', 'LICENCE-KM', 'LICENCE-MGMT', 'GMT0034', 'GMT0037', 'GMT0038'] as const;

/** "8.2a", "8.2 a)", "8.2.A" → "8.2.a"; T/TCGIA "6.5.3e" → "6.5.3.e". Other forms pass through unchanged. */
export function normalizeClause(clause: string): string {
  const m = /^(\d+(?:\.\d+)*)\s*\.?\s*\(?([A-Za-z])\)?$/.exec(clause.trim());
  return m ? `${m[1]}.${m[2]!.toLowerCase()}` : clause.trim();
}

export interface CoverageQuery {
  level: Level;
  citedClauses: { std: string; clause: string }[];
  citedUnits: string[];
  attestedUnits: string[];
}
export interface CoverageResult {
  /** cited clauses of a catalogued standard that the catalogue does not know */
  unknownClauses: { std: string; clause: string }[];
  /** cited or attested unit ids that are not GB/T 39786 units */
  unknownUnits: string[];
  /** units assessed at the level that no scenario cites and no attestation covers */
  uncoveredUnits: { id: string; layer: LayerId; title: Text; clause: string }[];
  /** standards cited that this catalogue does not hold (GB/T 38636, GM/T 0005, 0015, 0018 …): not judged here */
  uncataloguedStandards: string[];
}

/** What the coordinator's catalogue test asks: unknown citations, and units at the level nobody covers. */
export function catalogCoverage(q: CoverageQuery, catalog: Catalog = loadCatalog()): CoverageResult {
  const known = new Set<string>(CATALOGUED_STANDARDS);
  const unknownClauses: CoverageResult['unknownClauses'] = [];
  const uncatalogued = new Set<string>();
  const seen = new Set<string>();
  for (const c of q.citedClauses) {
    if (!known.has(c.std)) { uncatalogued.add(c.std); continue; }
    const key = `${c.std} ${normalizeClause(c.clause)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!catalog.clauseKeys.has(key)) unknownClauses.push({ std: c.std, clause: c.clause });
  }
  const byId = catalog.gbt39786.unitById;
  const unknownUnits = [...new Set([...q.citedUnits, ...q.attestedUnits].filter((u) => !byId.has(u)))];
  const covered = new Set([...q.citedUnits, ...q.attestedUnits]);
  const uncoveredUnits = unitsAtLevel(catalog, q.level)
    .filter((u) => !covered.has(u.id))
    .map((u) => ({ id: u.id, layer: u.layer, title: u.title, clause: u.clause[q.level - 1]! }));
  return { unknownClauses, unknownUnits, uncoveredUnits, uncataloguedStandards: [...uncatalogued].sort() };
}
