import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderSarif } from './sarif.ts';
import { renderMarkdown } from './markdown.ts';
import { writeAllureResults } from './allure.ts';
import { buildManifest, MANIFEST_FILE, type SigningKey } from './manifest.ts';
import type { Report } from './model.ts';
import type { Lang } from './i18n.ts';

/** Writes a file whole or not at all: a reader never sees half a report. */
export function writeAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** Every report format of a run; the manifest is written by `signRunFolder` once nothing else will change. */
export function writeReports(dir: string, r: Report, lang: Lang): string[] {
  const files = {
    'report.json': JSON.stringify(r, null, 2) + '\n',
    'report.html': renderHtml(r, lang),
    'junit.xml': renderJunit(r),
    'results.sarif': renderSarif(r),
    'summary.md': renderMarkdown(r, lang),
  };
  for (const [name, body] of Object.entries(files)) writeAtomic(join(dir, name), body);
  return [...Object.keys(files), ...writeAllureResults(dir, r)];
}

/** Hashes every file of the run folder and signs the list (manifest.json). */
export function signRunFolder(dir: string, runId: string, key: SigningKey): void {
  writeAtomic(join(dir, MANIFEST_FILE), JSON.stringify(buildManifest(dir, runId, key), null, 2) + '\n');
}
