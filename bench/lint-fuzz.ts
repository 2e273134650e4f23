/**
 * Long fuzz run of the linter (issue 7: ≥ 100,000 mutations with no exception escaping). Prints the count, the
 * number of lint crashes (turned into `fatal` by the engine; each is a bug) and any escaped exception.
 *   node --import tsx bench/lint-fuzz.ts [runs] [seed]
 */
import fc from 'fast-check';
import { lintGuarded, seedCorpus } from '../lib/lint/fuzz-support.ts';
import { mutation } from '../test/fixtures/lint/mutations.ts';

const runs = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const corpus = seedCorpus();
let n = 0;
let crashes = 0;
const crashSamples = new Set<string>();
const start = performance.now();
try {
  fc.assert(fc.property(mutation(corpus), fc.boolean(), (bytes, withIssuer) => {
    n++;
    const c = lintGuarded(bytes, withIssuer ? corpus[0] : undefined);
    crashes += c.length;
    for (const m of c.slice(0, 3)) if (crashSamples.size < 10) crashSamples.add(m);
    if (n % 20000 === 0) console.log(`  ${n} …`);
  }), { numRuns: runs, seed });
  console.log(`fuzz: ${n} mutated objects linted (seed ${seed}) in ${((performance.now() - start) / 1000).toFixed(0)} s; escaped exceptions: 0; lint crashes: ${crashes}`);
} catch (err) {
  console.log(`fuzz: ESCAPED EXCEPTION after ${n} runs (seed ${seed}):\n${(err as Error).message}`);
  process.exitCode = 1;
}
for (const m of crashSamples) console.log(`  crash: ${m}`);
if (crashes) process.exitCode = 1;
