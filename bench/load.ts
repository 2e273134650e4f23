/**
 * Load test of the reference platform at the issue-11 goal: 64 concurrent clients mixing every crypto service
 * (hash, HMAC, SM4 CBC/GCM and envelope encrypt/decrypt, SM2 sign/verify, random, key generation) for 60 s on
 * loopback, then every acknowledged key creation read back, also after SIGKILL + restart with --data.
 * Prints requests, errors, p50/p99 (overall and per operation) and lost writes; exits 1 on any error or loss.
 *   node --import tsx bench/load.ts [--clients 64] [--seconds 60] [--max-requests N]
 */
import { formatLoad, runLoad } from '../test/load/load.ts';

const arg = (name: string, d: number) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : d; };
const f = await runLoad({ clients: arg('--clients', 64), seconds: arg('--seconds', 60), maxRequests: arg('--max-requests', 5_000_000), log: (l) => console.log(l) });
console.log(formatLoad(f));
process.exitCode = f.errors || f.lostWrites ? 1 : 0;
