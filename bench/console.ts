/**
 * Console probe timing (docs/console.md): Chromium start, and the whole probe (two-factor checks, three roles,
 * cookie, logout) against the reference console on loopback. Prints figures; no assertions.
 * Run: node --import tsx bench/console.ts [rounds]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileEvidenceSink } from '../probes/evidence.ts';
import { chromiumMissing, launchChromium } from '../probes/web/browser.ts';
import { probeConsole } from '../probes/web/console.ts';
import { referenceConsole } from '../test/web/reference-console.ts';

const rounds = Number(process.argv[2] ?? 3);
const missing = chromiumMissing();
if (missing) { console.log(missing); process.exit(0); }
const { p, opts } = await referenceConsole([], 'bench');
try {
  for (let i = 0; i < rounds; i++) {
    let t = Date.now();
    const b = await launchChromium();
    const launch = Date.now() - t;
    await b.close();
    t = Date.now();
    const o = await probeConsole({ id: 'console', name: 'console' }, opts, new FileEvidenceSink(mkdtempSync(join(tmpdir(), 'gmeval-bench-console-')), 'console'));
    console.log(`round ${i + 1}: chromium launch+close ${launch} ms; whole console probe ${Date.now() - t} ms (${o.data ? `${o.data.pagesVisited} pages, ${o.evidence.length} evidence files` : o.notTested?.detail})`);
  }
} finally { await p.close(); }
