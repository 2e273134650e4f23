/**
 * Fault test of the reference platform at the issue-11 goal: `gmeval platform start --data DIR` SIGKILLed 100 times
 * at random moments during key lifecycle and PKI operations (RA issuance with KM key application, download,
 * revocation); after each restart every acknowledged operation must have persisted and the audit log must verify
 * (/audit/verify plus the toolkit's own checkpoint-signature, Merkle-root and consistency-proof checks).
 * Prints kills survived and operations verified; exits 1 on any problem.
 *   node --import tsx bench/faults.ts [--kills 100] [--min-ms 300] [--max-ms 1500]
 */
import { formatFaults, runFaults } from '../test/load/faults.ts';

const arg = (name: string, d: number) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : d; };
const f = await runFaults({ kills: arg('--kills', 100), minRunMs: arg('--min-ms', 300), maxRunMs: arg('--max-ms', 1500), log: (l) => console.log(l) });
console.log(formatFaults(f));
process.exitCode = f.problems.length ? 1 : 0;
