/**
 * Longer fuzzing campaign over every parser of untrusted input. Prints iterations and findings per target.
 *   node --import tsx bench/fuzz.ts [iterations-per-property]
 * Parsers covered here: profile YAML, mapping YAML, RNG input files, SDF structures, API responses
 * (test/fuzz/parsers.test.ts, scaled up); the OCSP and RFC 3161 response readers of the probes
 * (test/probes/pki/fuzz.test.ts, scaled up); TLCP records/handshakes (bench/tlcp-fuzz.ts) and
 * certificates/CRLs/OCSP (bench/lint-fuzz.ts) have their own campaigns, run here too.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const n = Number(process.argv[2] ?? 20000);
const root = resolve(import.meta.dirname, '..');
const campaigns: [string, string[], NodeJS.ProcessEnv][] = [
  ['parsers (profile, mapping, RNG input, SDF structs, API responses)', ['--import', 'tsx', '--test', 'test/fuzz/parsers.test.ts'], { GMEVAL_FUZZ_RUNS: String(n) }],
  ['OCSP and RFC 3161 responses as the probes read them', ['--import', 'tsx', '--test', 'test/probes/pki/fuzz.test.ts'], { GMEVAL_FUZZ_RUNS: String(n) }],
  ['TLCP records and handshakes', ['--import', 'tsx', 'bench/tlcp-fuzz.ts', String(n)], {}],
  ['certificates, CRLs, OCSP', ['--import', 'tsx', 'bench/lint-fuzz.ts', String(n)], {}],
];
let failures = 0;
for (const [name, args, env] of campaigns) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  const ok = r.status === 0;
  if (!ok) failures++;
  const tail = (r.stdout + r.stderr).trim().split('\n').filter((l) => /iterations|escaped|crash|fail|pass|# tests/i.test(l)).slice(-4).join(' | ');
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${n} iterations per property, ${s} s${tail ? ` — ${tail}` : ''}`);
}
console.log(failures ? `${failures} campaign(s) found problems` : 'no findings');
process.exit(failures ? 1 : 0);
