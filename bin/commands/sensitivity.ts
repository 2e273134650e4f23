import type { CommandGroup } from './index.ts';
import { EXIT, InputError } from '../exit-codes.ts';
import { runSensitivity } from '../../runner/sensitivity.ts';
import { join, relative } from 'node:path';

export const register: CommandGroup = (program, setExit) => {
  program
    .command('sensitivity')
    .description('defect × scenario matrix of the reference platform: clean all green, every scenario caught by a defect, every defect caught / 敏感性矩阵')
    .option('--profile <file>', 'profile with target.kind: reference (default profiles/reference.yaml)')
    .option('--out <dir>', 'output folder (default ./gmeval-report/sensitivity-<timestamp>/)')
    .option('--parallel <n>', 'runs at a time (default 2)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 16) throw new InputError(`--parallel: "${v}" is not a number from 1 to 16`);
      return n;
    })
    .option('--json', 'print the result JSON (schema reports/schema/sensitivity.schema.json)')
    .action(async (o: { profile?: string; out?: string; parallel?: number; json?: boolean }) => {
      const out = o.out ?? join('gmeval-report', `sensitivity-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      const r = await runSensitivity({ profile: o.profile, out, parallel: o.parallel });
      if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else {
        const red = (d: string) => r.scenarios.filter((s) => r.matrix[d]?.[s.id] === 'failed').length;
        process.stdout.write(`gmeval sensitivity: ${r.scenarios.length} scenarios × ${r.defects.length} defects\n`);
        for (const d of r.defects) process.stdout.write(`  ${d.name.padEnd(34)} ${String(red(d.name)).padStart(3)} red\n`);
        process.stdout.write(`clean run all green: ${r.rules.cleanAllGreen ? 'yes' : `NO (${r.rules.cleanNotGreen.length})`}\n`);
        process.stdout.write(`orphan scenarios: ${r.rules.orphanScenarios.length}${r.rules.orphanScenarios.map((x) => `\n  - ${x}`).join('')}\n`);
        process.stdout.write(`dead defects: ${r.rules.deadDefects.length}${r.rules.deadDefects.map((x) => `\n  - ${x}`).join('')}\n`);
        process.stdout.write(`for review (red outside the claimed clauses): ${r.rules.forReview.length}${r.rules.forReview.map((x) => `\n  - ${x.defect} → ${x.std ?? ''} ${x.clause ?? ''} ${x.scenario}`).join('')}\n`);
        if (r.rules.runErrors.length) process.stdout.write(`run errors:${r.rules.runErrors.map((x) => `\n  - ${x.run}: ${x.message}`).join('')}\n`);
        process.stdout.write(`matrix: ${relative(process.cwd(), join(out, 'sensitivity.html')) || '.'} (and sensitivity.json)\n`);
      }
      setExit(r.passed ? EXIT.OK : EXIT.FAILED);
    });
};
