import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

/** The system Chromium (Debian package `chromium`); GMEVAL_CHROMIUM overrides the path. */
export const CHROMIUM_PATH = process.env.GMEVAL_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumMissing(path = CHROMIUM_PATH): string | undefined {
  return existsSync(path) ? undefined : `未找到 Chromium（${path}）：控制台检查无法进行 / Chromium not found at ${path} (Debian: apt-get install chromium; or set GMEVAL_CHROMIUM)`;
}

/**
 * Headless Chromium with no sandbox (containers), no background traffic and no QUIC: nothing leaves this machine
 * except what the pages themselves load. Playwright refuses `--user-data-dir` with launch(); it gives every
 * launch a fresh temporary profile of its own instead (and TMPDIR points it at ours, removed on close).
 */
export async function launchChromium(path = CHROMIUM_PATH): Promise<{ browser: Browser; close(): Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'gmeval-chromium-'));
  const browser = await chromium.launch({
    executablePath: path,
    headless: true,
    env: { ...process.env, TMPDIR: profile },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
