/**
 * How the worker process is launched: the Node (V8) flag and the glibc setting that bound its
 * memory, applied by everything that starts `worker.ts` — `npm run worker` (scripts/bootstrap.mjs),
 * `npm start` (scripts/start.ts), the fault suites (test/faults/support.ts) and bench/leads.ts —
 * so production runs with what the bench measured. Settings (README: Configuration), read from the
 * environment like every other (platform/config.ts validates them too):
 *
 * - WORKER_MAX_SEMI_SPACE_MIB (default 8): `--max-semi-space-size` for the worker's V8 isolates —
 *   the main thread (activities) and the SDK's workflow thread, which takes the process's flags.
 *   Since Node 22, V8 sizes the young generation from the heap limit: with the 4 GiB heap limit
 *   here each isolate grew its new space to 128 MiB while leads started, and kept it (Node 20: 32
 *   MiB). 8 MiB semi-spaces keep each at 16 MiB; objects that survive scavenges move to the old
 *   space as before. 0: V8's own default. (bench/leads.ts 2000: 668 MiB → 410 with both settings.)
 * - WORKER_MALLOC_ARENA_MAX (default 2): `MALLOC_ARENA_MAX` of the worker process. The Temporal
 *   core (Rust, tokio threads) and V8's helper threads allocate from glibc, which gives every thread
 *   that contends an arena of its own (up to 8 per core) and keeps what each one held at its peak.
 *   0: glibc's default.
 *
 * Plain JavaScript with no dependencies: bootstrap.mjs imports it on the system's Node.
 */

export const WORKER_RUNTIME_DEFAULTS = Object.freeze({ maxSemiSpaceMiB: 8, mallocArenaMax: 2 });

function setting(env, name, fallback, max) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${name}=${raw}: expected a whole number from 0 to ${max} / ${name} 应为 0 到 ${max} 的整数`);
  return n;
}

/** The worker's launch settings from the environment: `{ maxSemiSpaceMiB, mallocArenaMax }` (0: the runtime's default). */
export function workerRuntimeSettings(env = process.env) {
  return {
    maxSemiSpaceMiB: setting(env, 'WORKER_MAX_SEMI_SPACE_MIB', WORKER_RUNTIME_DEFAULTS.maxSemiSpaceMiB, 1024),
    mallocArenaMax: setting(env, 'WORKER_MALLOC_ARENA_MAX', WORKER_RUNTIME_DEFAULTS.mallocArenaMax, 1024),
  };
}

/** Node options that go before the worker's script. */
export function workerNodeArgs(settings) {
  return settings.maxSemiSpaceMiB > 0 ? [`--max-semi-space-size=${settings.maxSemiSpaceMiB}`] : [];
}

/** The worker process's environment: `env` with MALLOC_ARENA_MAX set (or, with 0, left as it was). */
export function workerProcessEnv(settings, env = process.env) {
  return settings.mallocArenaMax > 0 ? { ...env, MALLOC_ARENA_MAX: String(settings.mallocArenaMax) } : { ...env };
}

/**
 * What of the settings this process was NOT launched with (worker.ts logs it as a warning: a
 * worker started by hand, e.g. `tsx worker.ts`, runs with the runtime's defaults). Empty when all apply.
 */
export function missingWorkerRuntime(settings, { execArgv = process.execArgv, env = process.env } = {}) {
  const missing = [];
  const flags = [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)];
  const semi = flags.map((f) => /^--max[-_]semi[-_]space[-_]size=(\d+)$/.exec(f)?.[1]).filter(Boolean).at(-1);
  if (settings.maxSemiSpaceMiB > 0 && Number(semi) !== settings.maxSemiSpaceMiB) missing.push(`--max-semi-space-size=${settings.maxSemiSpaceMiB}`);
  if (settings.mallocArenaMax > 0 && env.MALLOC_ARENA_MAX !== String(settings.mallocArenaMax)) missing.push(`MALLOC_ARENA_MAX=${settings.mallocArenaMax}`);
  return missing;
}
