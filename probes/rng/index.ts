/**
 * probes/rng — samples a random-number source for GM/T 0005-2021 detection (DESIGN.md §2, §3).
 *
 *   const plan = resolveRngPlan(object.options);                   // quick (default) or full sample, bounds
 *   const obs = await probeRandomSource(t, adapterRandomSource(adapter, plan.requestBytes), plan);
 *   const obs = await probeRandomFile(t, plan);                    // options.file
 *   obs.data.items[i].pValues / qValues                            // judged by the Then-steps (lib/rng decision rules)
 *
 * Evidence per sample: the P/Q table (JSON, with the sample's SM3 and SHA-256), the sample itself when it is at
 * most 2 MB, and the first request/response exchange.
 */
export * from './plan.ts';
export * from './sources.ts';
export * from './probe.ts';
export { openSdfRandomSession } from './sdf.ts';
