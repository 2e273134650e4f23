import type { CommandGroup } from './index.ts';
import { EXIT } from '../exit-codes.ts';
import { runKats, type KatResult } from '../../lib/gm/index.ts';

/** The `--json` document; shape fixed by reports/schema/selftest.schema.json. */
export interface SelftestReport {
  schemaVersion: '1.0';
  tool: { name: 'gmeval'; version: string; node: string; openssl: string };
  at: string;
  long: boolean;
  passed: boolean;
  summary: { total: number; passed: number; failed: number };
  results: KatResult[];
}

export function buildSelftestReport(results: KatResult[], long: boolean, version: string): SelftestReport {
  const passed = results.filter((r) => r.passed).length;
  return {
    schemaVersion: '1.0',
    tool: { name: 'gmeval', version, node: process.version, openssl: process.versions.openssl ?? 'unknown' },
    at: new Date().toISOString(),
    long,
    passed: passed === results.length,
    summary: { total: results.length, passed, failed: results.length - passed },
    results,
  };
}

/** Display width: CJK characters take two columns in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - width(s)));
}

export function formatSelftestTable(report: SelftestReport): string {
  const head = ['id', 'algorithm', 'source', 'result', 'ms'];
  const rows = report.results.map((r) => [r.id, r.algorithm, r.source, r.passed ? 'PASS 通过' : 'FAIL 失败', r.ms.toFixed(1)]);
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((row) => width(row[i]!))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 4 ? c.padStart(widths[i]!) : pad(c, widths[i]!))).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const [i, row] of rows.entries()) {
    out.push(line(row));
    const d = report.results[i]!.detail;
    if (d) out.push(`    ${d}`);
  }
  const s = report.summary;
  out.push('', `${s.passed}/${s.total} passed${s.failed ? `, ${s.failed} FAILED 失败` : ' 全部通过'}${report.long ? '' : ' (--long adds the SM4 1 000 000-iteration example)'}`);
  return out.join('\n') + '\n';
}

export const register: CommandGroup = (program, setExit) => {
  program
    .command('selftest')
    .description('run the known-answer tests of SM2/SM3/SM4/SM4-GCM/HMAC-SM3 / 国密算法自检（标准示例向量）')
    .option('--json', 'print the result as JSON (reports/schema/selftest.schema.json)')
    .option('--long', 'include long tests (SM4 1 000 000 iterations, GB/T 32907 example 2)')
    .action((opts: { json?: boolean; long?: boolean }) => {
      const long = Boolean(opts.long);
      const report = buildSelftestReport(runKats({ long }), long, program.version() ?? '0.0.0');
      process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : formatSelftestTable(report));
      if (!report.passed) setExit(EXIT.FAILED);
    });
};
