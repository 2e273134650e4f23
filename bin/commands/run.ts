import type { CommandGroup } from './index.ts';
import { InputError } from '../exit-codes.ts';
import { runEvaluation } from '../../runner/run.ts';
import { relative } from 'node:path';

export const register: CommandGroup = (program, setExit) => {
  program
    .command('run')
    .description('evaluate a target (default: the bundled reference platform with profiles/reference.yaml) / 执行测评')
    .option('--profile <file>', 'profile YAML (default profiles/reference.yaml)')
    .option('--tags <expr>', 'cucumber tag expression selecting scenarios, e.g. "@dim:正确性 and not @method:interview"')
    .option('--out <dir>', 'run folder (default ./gmeval-report/<timestamp>/)')
    .option('--gate <expr>', 'CI gate, e.g. "failed=0,not_tested<=2" (default failed=0,not_tested=0)')
    .option('--lang <zh|en>', 'report language (default zh)')
    .option('--parallel <n>', 'parallel workers', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 64) throw new InputError(`--parallel: "${v}" is not a number from 1 to 64`);
      return n;
    })
    .option('--defect <name...>', 'reference platform only: switch on named defects for this run')
    .action(async (o: { profile?: string; tags?: string; out?: string; gate?: string; lang?: string; parallel?: number; defect?: string[] }) => {
      if (o.lang && o.lang !== 'zh' && o.lang !== 'en') throw new InputError(`--lang: "${o.lang}" must be zh or en`);
      const r = await runEvaluation({ profile: o.profile, tags: o.tags, out: o.out, gate: o.gate, lang: o.lang as 'zh' | 'en' | undefined, parallel: o.parallel, defects: o.defect });
      const s = r.report.summary.scenarios;
      const where = relative(process.cwd(), r.outDir) || '.';
      process.stdout.write(
        `gmeval: ${r.report.scenarios.length} checks — ${s.passed} passed, ${s.failed} failed, ${s.not_tested} not tested, ${s.not_applicable} not applicable\n` +
        `gmeval: gate ${r.report.gate?.expression}: ${r.report.gate?.passed ? 'passed' : 'FAILED'}\n` +
        `gmeval: report ${where}/report.html (also report.json, junit.xml)\n`,
      );
      for (const sc of r.report.scenarios.filter((x) => x.status === 'failed' || x.status === 'not_tested')) {
        process.stdout.write(`  ${sc.status === 'failed' ? '✗' : '?'} [${sc.std ?? ''} ${sc.clause ?? ''}] ${sc.name}${sc.reason ? ` — ${sc.reason}` : ''}\n`);
      }
      setExit(r.exitCode);
    });
};
