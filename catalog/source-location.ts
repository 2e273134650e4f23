import { LineCounter, parseDocument, isNode, type Document } from 'yaml';

/**
 * A parsed YAML or JSON text that can tell the line of a JSON pointer, so that validation errors name the place
 * the user has to edit. JSON is parsed by the same YAML 1.2 parser (JSON is a subset of its flow style).
 */
export interface LocatedDocument {
  value: unknown;
  /** 1-based line and column of the node at this JSON pointer (or of its nearest existing parent). */
  locate(pointer: string): { line: number; col: number } | undefined;
}

export class SourceSyntaxError extends Error {
  constructor(message: string, readonly line?: number, readonly col?: number) {
    super(message);
    this.name = 'SourceSyntaxError';
  }
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.replace(/^\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function locator(doc: Document, lc: LineCounter) {
  return (pointer: string) => {
    const segs = pointerSegments(pointer);
    for (let n = segs.length; n >= 0; n--) {
      const path = segs.slice(0, n).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      const node = n === 0 ? doc.contents : doc.getIn(path, true);
      if (isNode(node) && node.range) {
        const p = lc.linePos(node.range[0]);
        return { line: p.line, col: p.col };
      }
    }
    return undefined;
  };
}

/** Parses YAML text (catalogue files). Throws SourceSyntaxError with the line of the first syntax error. */
export function parseYamlLocated(text: string): LocatedDocument {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const p = lc.linePos(e.pos[0]);
    throw new SourceSyntaxError(e.message.split('\n')[0]!, p.line, p.col);
  }
  return { value: doc.toJS({ maxAliasCount: 100 }), locate: locator(doc, lc) };
}

/**
 * Parses JSON strictly (JSON.parse decides validity: YAML would accept more), then maps pointers to lines with the
 * YAML parser. A JSON syntax error reports the line and column computed from the offset in the engine's message.
 */
export function parseJsonLocated(text: string): LocatedDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const m = /position (\d+)/.exec(msg);
    if (m) {
      const offset = Number(m[1]);
      const before = text.slice(0, offset).split('\n');
      throw new SourceSyntaxError(msg, before.length, before[before.length - 1]!.length + 1);
    }
    throw new SourceSyntaxError(msg);
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  const locate = doc.errors.length === 0 ? locator(doc, lc) : () => undefined;
  return { value, locate };
}
