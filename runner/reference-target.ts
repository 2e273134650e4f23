/**
 * Starts the bundled reference platform for a run whose profile says `target.kind: reference`.
 * Loaded by path and only then, so nothing in the toolkit depends on the platform (DESIGN.md §2):
 * the platform is reached afterwards exactly like a remote one, through the profile's adapters.
 */
export interface StartedReference {
  endpoints: { api: string };
  provisioned: Record<string, string>;
  defects: string[];
  stop(): Promise<void>;
}

export async function startReferenceTarget(defects: string[]): Promise<StartedReference> {
  const mod = (await import(new URL('../reference-platform/index.ts', import.meta.url).href)) as typeof import('../reference-platform/index.ts');
  const p = await mod.startPlatform({ defects });
  const app = p.provisionApp('gmeval-evaluation');
  return {
    endpoints: { api: p.listening.http },
    provisioned: { 'app.accessKey': app.accessKey, 'app.secret': app.secret, 'app.id': app.appId },
    defects: p.defects,
    stop: () => p.close(),
  };
}
