import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { LineCounter, parseDocument, isMap, isSeq, isNode, type Document, type Node } from 'yaml';

/** One problem in a YAML document, located as `file:line:column: field: reason`. */
export interface YamlIssue {
  file: string;
  line: number;
  column: number;
  /** dotted path of the field, e.g. `objects[2].adapter` ('' for the document itself) */
  field: string;
  reason: string;
}

export function formatIssue(i: YamlIssue): string {
  return `${i.file}:${i.line}:${i.column}: ${i.field || '(document)'}: ${i.reason}`;
}

export type ParsedYaml<T> =
  | { ok: true; value: T; doc: Document; lines: LineCounter }
  | { ok: false; issues: YamlIssue[]; /** present when the YAML parsed but failed the schema, for further checks */ partial?: { value: unknown; doc: Document; lines: LineCounter } };

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

/** Compiles a draft 2020-12 JSON Schema once; `allErrors` so every problem is reported at once. */
export function compileSchema(schema: object): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  return ajv.compile(schema);
}

/**
 * Parses YAML text and validates it against a compiled schema, mapping every ajv error back to the
 * YAML line and column of the offending field (or of its parent, for a missing property).
 */
export function parseYamlWithSchema<T>(text: string, file: string, validate: ValidateFunction): ParsedYaml<T> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const issues: YamlIssue[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = lines.linePos(e.pos[0]);
    issues.push({ file, line: pos.line, column: pos.col, field: '', reason: `YAML syntax: ${e.message.split('\n')[0]}` });
  }
  if (issues.length) return { ok: false, issues };
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (!validate(value)) {
    for (const err of dedupe(validate.errors ?? [])) issues.push(locate(err, doc, lines, file));
    issues.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, issues, partial: { value, doc, lines } };
  }
  return { ok: true, value: value as T, doc, lines };
}

/** ajv reports both the failing branch and the `anyOf`/`oneOf` wrapper; keep the informative ones. */
function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword));
  const list = specific.length ? specific : errors;
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function pathToField(path: (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

function nodeAt(doc: Document, path: (string | number)[]): { node: Node | null; keyNode: Node | null } {
  let cur: unknown = doc.contents;
  let keyNode: Node | null = null;
  for (const seg of path) {
    if (isMap(cur)) {
      const pair = cur.items.find((it) => (isNode(it.key) ? (it.key as { value?: unknown }).value : it.key) === seg);
      if (!pair) return { node: null, keyNode: null };
      keyNode = isNode(pair.key) ? (pair.key as Node) : null;
      cur = pair.value;
    } else if (isSeq(cur) && typeof seg === 'number') {
      cur = cur.items[seg];
      keyNode = null;
    } else return { node: null, keyNode: null };
  }
  return { node: isNode(cur) ? (cur as Node) : null, keyNode };
}

function locate(err: ErrorObject, doc: Document, lines: LineCounter, file: string): YamlIssue {
  const path = pointerToPath(err.instancePath);
  let reason = err.message ?? 'invalid';
  let fieldPath = path;
  if (err.keyword === 'required') {
    fieldPath = [...path, String((err.params as { missingProperty: string }).missingProperty)];
    reason = 'required field is missing';
  } else if (err.keyword === 'additionalProperties') {
    const extra = String((err.params as { additionalProperty: string }).additionalProperty);
    fieldPath = [...path, extra];
    reason = 'unknown field (not in the schema; check its spelling)';
  } else if (err.keyword === 'enum') {
    reason = `must be one of ${((err.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  // the closest existing node gives the line: the field itself, else its parent
  let probe = fieldPath;
  let found = nodeAt(doc, probe);
  while (!found.node && probe.length) {
    probe = probe.slice(0, -1);
    found = nodeAt(doc, probe);
  }
  const anchor = err.keyword === 'additionalProperties' ? found.keyNode ?? found.node : found.node;
  const offset = anchor?.range?.[0] ?? 0;
  const pos = lines.linePos(offset);
  return { file, line: pos.line, column: pos.col, field: pathToField(fieldPath), reason };
}
