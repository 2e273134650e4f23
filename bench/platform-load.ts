/**
 * Load generator for bench/platform.ts, run as its own process so that the client and the platform do not
 * share one event loop (like wrk or autocannon). Each virtual client keeps one keep-alive TCP connection and
 * sends its next request when the previous answer is complete (closed loop, no pipelining). Every request is
 * signed for real (HMAC-SM3 over method, path, timestamp, a fresh nonce and SM3 of the body, as
 * reference-platform-api.md §2 asks); only SM3(body) is computed once, because the body is the same each time.
 * Responses are framed by Content-Length; the status of each is counted and a sample of bodies is checked.
 *
 *   node --import tsx bench/platform-load.ts <json spec>   →   one JSON line of results on stdout
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { hmacSm3, sm3 } from '../lib/gm/index.ts';

export interface LoadSpec {
  host: string; port: number; path: string; method: string; body: string;
  accessKey: string; secret: string; clients: number; seconds: number; warmupSeconds?: number;
  /** a field every 200 response body must have (checked on a sample); '' = any body (binary answers) */
  expectField: string;
  /** 'hmac' (default): the application request signature; 'none': a public endpoint (OCSP) */
  auth?: 'hmac' | 'none';
  /** how `body` is given (default utf8 text) */
  bodyEncoding?: 'utf8' | 'base64';
  contentType?: string;
}
export interface LoadResult {
  requests: number; errors: number; elapsedS: number; p50: number; p99: number; max: number;
  /** the generator's own CPU time per second of wall time (1.0 = one core) */
  clientCpu: number; badBodies: number; sampleStatus?: number; sampleBody?: string;
}

const spec = JSON.parse(process.argv[2]!) as LoadSpec;
const body = Buffer.from(spec.body, spec.bodyEncoding ?? 'utf8');
const bodyHash = sm3(body).toString('hex');
const secret = Buffer.from(spec.secret);
const fixedHead = `${spec.method} ${spec.path} HTTP/1.1\r\nHost: ${spec.host}:${spec.port}\r\nContent-Type: ${spec.contentType ?? 'application/json'}\r\nContent-Length: ${body.length}\r\n`;
const unsigned = Buffer.concat([Buffer.from(`${fixedHead}\r\n`), body]);

function requestBytes(): Buffer {
  if (spec.auth === 'none') return unsigned;
  const ts = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const nonce = randomBytes(16).toString('hex');
  const sig = hmacSm3(secret, Buffer.from(`${spec.method}\n${spec.path}\n\n${ts}\n${nonce}\n${bodyHash}`)).toString('base64');
  return Buffer.concat([Buffer.from(`${fixedHead}X-CSP-AccessKey: ${spec.accessKey}\r\nX-CSP-Timestamp: ${ts}\r\nX-CSP-Nonce: ${nonce}\r\nX-CSP-Signature: ${sig}\r\n\r\n`), body]);
}

const CRLF2 = Buffer.from('\r\n\r\n');

/** One closed-loop client; resolves when the deadline passes. */
function client(recordFrom: () => number, until: number, lat: number[], counters: { errors: number; badBodies: number; sampled: number; sampleStatus?: number; sampleBody?: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: spec.host, port: spec.port });
    sock.setNoDelay(true);
    let buf: Buffer = Buffer.alloc(0);
    let sentAt = 0;
    const send = () => {
      const now = performance.now();
      if (now >= until) { sock.end(); resolve(); return; }
      sentAt = now;
      sock.write(requestBytes());
    };
    sock.on('connect', send);
    sock.on('error', reject);
    sock.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        const headEnd = buf.indexOf(CRLF2);
        if (headEnd < 0) return;
        const head = buf.toString('latin1', 0, headEnd);
        const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        const len = m ? Number(m[1]) : 0;
        if (buf.length < headEnd + 4 + len) return;
        const status = Number(head.slice(9, 12));
        const resBody = buf.subarray(headEnd + 4, headEnd + 4 + len);
        buf = buf.subarray(headEnd + 4 + len);
        const done = performance.now();
        if (sentAt >= recordFrom()) {
          lat.push(done - sentAt);
          if (status !== 200) counters.errors++;
          // every 64th answer is parsed in full, so a platform that answers 200 with garbage is noticed
          if (((lat.length & 63) === 0 || status !== 200) && spec.expectField) {
            counters.sampled++;
            try {
              const j = JSON.parse(resBody.toString('utf8')) as Record<string, unknown>;
              if (status === 200 && j[spec.expectField] === undefined) counters.badBodies++;
            } catch { counters.badBodies++; }
            if (status !== 200 && counters.sampleStatus === undefined) { counters.sampleStatus = status; counters.sampleBody = resBody.toString('utf8').slice(0, 300); }
          }
        }
        send();
      }
    });
  });
}

const warm = (spec.warmupSeconds ?? 0.5) * 1000;
const start = performance.now();
const recordFrom = start + warm;
const until = recordFrom + spec.seconds * 1000;
const lat: number[] = [];
const counters = { errors: 0, badBodies: 0, sampled: 0 } as { errors: number; badBodies: number; sampled: number; sampleStatus?: number; sampleBody?: string };
let cpu0 = process.cpuUsage();
// "start"/"stop" lines let the parent sample the platform's CPU time over exactly the measured window
setTimeout(() => { cpu0 = process.cpuUsage(); process.stdout.write('start\n'); }, warm);
let stopped = false;
const markStop = () => { if (!stopped) { stopped = true; process.stdout.write('stop\n'); } };
const stopTimer = setTimeout(markStop, warm + spec.seconds * 1000);
await Promise.all(Array.from({ length: spec.clients }, () => client(() => recordFrom, until, lat, counters)));
// the last answer can arrive before the timer phase runs: "stop" always precedes the result line
clearTimeout(stopTimer);
markStop();
const cpu = process.cpuUsage(cpu0);
const elapsedS = (performance.now() - recordFrom) / 1000;
lat.sort((a, b) => a - b);
const q = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]! : NaN);
const result: LoadResult = {
  requests: lat.length, errors: counters.errors, elapsedS, p50: q(0.5), p99: q(0.99), max: lat[lat.length - 1] ?? NaN,
  clientCpu: (cpu.user + cpu.system) / 1e6 / elapsedS, badBodies: counters.badBodies, sampleStatus: counters.sampleStatus, sampleBody: counters.sampleBody,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
