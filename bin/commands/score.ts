import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CommandGroup } from './index.ts';
import { InputError } from '../exit-codes.ts';
import { loadCatalog, type Level } from '../../catalog/index.ts';
import { parseJsonLocated, SourceSyntaxError, type LocatedDocument } from '../../catalog/source-location.ts';
import { formatScoreTable, scoreEvaluation, ScoreInputError, validateScoreInput, type ScoreInput } from '../../reports/score/index.ts';

function located(file: string, doc: LocatedDocument, problems: { path: string; message: string }[]): string[] {
  return problems.map((p) => {
    const pos = doc.locate(p.path);
    return `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${p.path || '/'}: ${p.message}`;
  });
}

/** gmeval score FILE.json — the 2023 quantitative score of hand-entered unit judgements. The scorer never gates: exit 0, or 2 on bad input. */
export const register: CommandGroup = (program: Command) => {
  program
    .command('score')
    .description('2023 量化评估: score GB/T 39786 unit judgements (D/A/K per object, 符合/部分符合/不符合 per management unit)')
    .argument('<file>', 'judgements as JSON (schema: reports/schema/score-input.schema.json)')
    .option('--level <n>', 'protection level 1–4 (overrides "level" in the file)')
    .option('--json', 'print the result as JSON (schema: reports/schema/score.schema.json)')
    .option('--lang <lang>', 'table language: zh or en', 'zh')
    .action((file: string, opts: { level?: string; json?: boolean; lang: string }) => {
      if (opts.lang !== 'zh' && opts.lang !== 'en') throw new InputError(`--lang must be zh or en, not ${opts.lang}`);
      let level: Level | undefined;
      if (opts.level !== undefined) {
        if (!/^[1-4]$/.test(opts.level)) throw new InputError(`--level must be 1, 2, 3 or 4, not ${opts.level}`);
        level = Number(opts.level) as Level;
      }
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new InputError(`${file}: cannot read: ${(err as Error).message}`);
      }
      let doc: LocatedDocument;
      try {
        doc = parseJsonLocated(text);
      } catch (err) {
        const e = err as SourceSyntaxError;
        throw new InputError(`${file}${e.line ? `:${e.line}:${e.col}` : ''}: not valid JSON: ${e.message}`);
      }
      const schemaProblems = validateScoreInput(doc.value);
      if (schemaProblems.length) {
        const lines = located(file, doc, schemaProblems);
        throw new InputError(`${file}: does not match reports/schema/score-input.schema.json (${schemaProblems.length} problem${schemaProblems.length > 1 ? 's' : ''})`, lines);
      }
      let result;
      try {
        result = scoreEvaluation(doc.value as ScoreInput, { catalog: loadCatalog(), ...(level !== undefined ? { level } : {}) });
      } catch (err) {
        if (err instanceof ScoreInputError) {
          const lines = located(file, doc, err.problems);
          throw new InputError(`${file}: cannot be scored (${err.problems.length} problem${err.problems.length > 1 ? 's' : ''})`, lines);
        }
        throw err;
      }
      process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatScoreTable(result, opts.lang));
    });
};
