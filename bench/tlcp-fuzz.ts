/**
 * TLCP fuzz campaign: ≥100,000 mutated conversations against fresh engines of both roles (see
 * test/fixtures/tlcp/fuzz-harness.ts). Prints the iteration count and the outcome distribution; any exception
 * out of the engine or an internal_error alert stops the run with the counterexample.
 *   node --import tsx bench/tlcp-fuzz.ts [iterations] [seed]
 */
import fc from 'fast-check';
import { caseArb, recordConversation, runCase } from '../test/fixtures/tlcp/fuzz-harness.ts';

const iterations = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const convs = [0xe013, 0xe053, 0xe011, 0xe051].map(recordConversation);
const seen: Record<string, number> = {};
const t0 = performance.now();
let done = 0;
fc.assert(
  fc.property(caseArb, (k) => {
    const o = runCase(convs, k);
    const key = `${k.target} → ${o}`;
    seen[key] = (seen[key] ?? 0) + 1;
    done++;
    if (done % 10000 === 0) process.stderr.write(`  ${done} iterations, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }),
  { numRuns: iterations, seed, endOnFailure: true },
);
const secs = (performance.now() - t0) / 1000;
console.log(`TLCP fuzz: ${done} iterations (seed ${seed}) in ${secs.toFixed(1)} s — no exception escaped, no internal_error`);
for (const [k, v] of Object.entries(seen).sort()) console.log(`  ${k.padEnd(42)} ${v}`);
