import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import type { Report } from './model.ts';
import type { Lang } from './i18n.ts';

/** Writes a file whole or not at all: a reader never sees half a report. */
export function writeAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

export function writeReports(dir: string, r: Report, lang: Lang): string[] {
  const files = {
    'report.json': JSON.stringify(r, null, 2) + '\n',
    'report.html': renderHtml(r, lang),
    'junit.xml': renderJunit(r),
  };
  for (const [name, body] of Object.entries(files)) writeAtomic(join(dir, name), body);
  return Object.keys(files);
}
