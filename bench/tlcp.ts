/**
 * TLCP benchmarks: full handshakes per second on the server side (ECC and ECDHE suites, one core, engines in
 * memory so only the server's own work is timed) and bulk record throughput (MB/s) for SM4-CBC+HMAC-SM3 and
 * SM4-GCM. Goals (issue 5): ≥ 300 full ECC handshakes/s, ≥ 80 MB/s SM4-GCM.
 *   node --import tsx bench/tlcp.ts [--quick]
 * Figures only; nothing here asserts timings.
 */
import { TlcpEngine, type TlcpCredentials } from '../lib/tlcp/index.ts';
import { createProtection, type RecordProtection } from '../lib/tlcp/record.ts';
import { SUITES } from '../lib/tlcp/constants.ts';
import { clientCredentials, serverCredentials } from '../test/fixtures/tlcp/keys.ts';

const quick = process.argv.includes('--quick');
const HANDSHAKES = quick ? 20 : 150;
const BULK_MB = quick ? 16 : 128;

const server: TlcpCredentials = serverCredentials();
const client: TlcpCredentials = clientCredentials();

/** Runs one handshake with queued (not nested) delivery so the server's receive() time is measured alone. */
function handshake(suite: number, clientAuth: boolean): { serverMs: number; totalMs: number } {
  const t0 = performance.now();
  const s = new TlcpEngine({ role: 'server', serverCredentials: server, transcript: false, requestClientCert: clientAuth });
  const c = new TlcpEngine({ role: 'client', suites: [suite], transcript: false, ...(clientAuth || SUITES[suite]!.kx === 'ECDHE' ? { clientCredentials: client } : {}) });
  const toServer: Uint8Array[] = [];
  const toClient: Uint8Array[] = [];
  c.on('write', (b) => toServer.push(b));
  s.on('write', (b) => toClient.push(b));
  let serverMs = 0;
  c.start();
  while (toServer.length || toClient.length) {
    while (toServer.length) {
      const b = toServer.shift()!;
      const t = performance.now();
      s.receive(b);
      serverMs += performance.now() - t;
    }
    while (toClient.length) c.receive(toClient.shift()!);
  }
  if (!s.handshakeComplete || !c.handshakeComplete) throw new Error(`handshake failed for ${suite.toString(16)}`);
  return { serverMs, totalMs: performance.now() - t0 };
}

console.log(`TLCP handshakes (server side, one core; ${HANDSHAKES} handshakes each after warm-up)`);
for (const [suite, auth] of [[0xe013, false], [0xe053, false], [0xe013, true], [0xe011, true], [0xe051, true]] as const) {
  for (let i = 0; i < 3; i++) handshake(suite, auth);
  let serverMs = 0;
  let totalMs = 0;
  for (let i = 0; i < HANDSHAKES; i++) {
    const r = handshake(suite, auth);
    serverMs += r.serverMs;
    totalMs += r.totalMs;
  }
  const name = `${SUITES[suite]!.name}${auth && SUITES[suite]!.kx === 'ECC' ? ' + client auth' : ''}`;
  console.log(`  ${name.padEnd(34)} server ${(HANDSHAKES / (serverMs / 1000)).toFixed(0).padStart(5)} handshakes/s (${(serverMs / HANDSHAKES).toFixed(2)} ms each) · client+server pair ${(HANDSHAKES / (totalMs / 1000)).toFixed(0)}/s`);
}

function protections(suiteId: number): { w: RecordProtection; r: RecordProtection } {
  const suite = SUITES[suiteId]!;
  const keys = { macKey: new Uint8Array(32).fill(1), key: new Uint8Array(16).fill(2), iv: new Uint8Array(suite.fixedIvLength).fill(3) };
  return { w: createProtection(suite, keys), r: createProtection(suite, keys) };
}

console.log(`TLCP bulk records (16 KiB plaintext records, ${BULK_MB} MiB per figure)`);
for (const suiteId of [0xe013, 0xe053]) {
  const rec = new Uint8Array(16384).fill(0x61);
  const n = (BULK_MB * 1024 * 1024) / rec.length;
  const { w, r } = protections(suiteId);
  const frags: Uint8Array[] = [];
  let t = performance.now();
  for (let i = 0; i < n; i++) frags.push(w.seal(23, rec));
  const sealS = (performance.now() - t) / 1000;
  t = performance.now();
  for (const f of frags) r.open(23, f);
  const openS = (performance.now() - t) / 1000;
  // end to end through both engines (record framing, sequence numbers, events)
  const s = new TlcpEngine({ role: 'server', serverCredentials: server, transcript: false });
  const c = new TlcpEngine({ role: 'client', suites: [suiteId], transcript: false });
  c.on('write', (b) => s.receive(b));
  s.on('write', (b) => c.receive(b));
  let got = 0;
  s.on('data', (d) => (got += d.length));
  c.start();
  const big = new Uint8Array(4 * 1024 * 1024).fill(0x62);
  t = performance.now();
  for (let i = 0; i < BULK_MB / 4; i++) c.write(big);
  const e2eS = (performance.now() - t) / 1000;
  if (got !== BULK_MB * 1024 * 1024) throw new Error('bulk data lost');
  const mb = BULK_MB;
  console.log(`  ${SUITES[suiteId]!.name.padEnd(18)} seal ${(mb / sealS).toFixed(0).padStart(4)} MB/s · open ${(mb / openS).toFixed(0).padStart(4)} MB/s · client→server engines (seal+open) ${(mb / e2eS).toFixed(0)} MB/s`);
}
