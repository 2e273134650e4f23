/** Shared by the fuzz test and bench/lint-fuzz.ts: a seed corpus and one guarded lint run over arbitrary bytes. */
import { loadPkiObjects } from '../pki/input.ts';
import { loadCases } from './fixture-cases.ts';
import { lintLoaded } from './lint-objects.ts';
import { STATUSES } from './types.ts';

/** DER of every object in the golden fixtures (valid and broken): certificates, CRLs, OCSP responses and the `.cmstest` envelopes. */
export function seedCorpus(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const c of loadCases()) for (const o of loadPkiObjects(Buffer.from(c.input, 'latin1')).objects) if (o.der.length) out.push(o.der);
  return out;
}

/**
 * Lints `bytes` (plus an optional issuer) as the CLI would. Throws if anything escapes the linter or a result is
 * malformed; returns the messages of lints that crashed (turned into `fatal` by the engine), which are bugs too.
 */
export function lintGuarded(bytes: Uint8Array, issuer?: Uint8Array): string[] {
  const loaded = loadPkiObjects(bytes);
  const inputs = [{ name: 'fuzz', objects: loaded.objects }];
  if (issuer) inputs.push({ name: 'issuer', objects: loadPkiObjects(issuer).objects });
  const crashes: string[] = [];
  for (const edition of ['2012', '2023'] as const) {
    for (const r of lintLoaded(inputs, { edition })) {
      for (const x of r.results) {
        if (!STATUSES.includes(x.status)) throw new Error(`bad status ${x.status}`);
        if (x.status === 'fatal' && x.lint !== 'asn1_structure') crashes.push(`${x.lint}: ${x.message}`);
      }
    }
  }
  return crashes;
}
