// Types of platform/worker-runtime.mjs (plain JavaScript: scripts/bootstrap.mjs imports it on the system's Node).
export interface WorkerRuntimeSettings {
  /** `--max-semi-space-size` of the worker's V8 isolates, MiB; 0: V8's default. */
  maxSemiSpaceMiB: number;
  /** `MALLOC_ARENA_MAX` of the worker process; 0: glibc's default. */
  mallocArenaMax: number;
}
export declare const WORKER_RUNTIME_DEFAULTS: Readonly<WorkerRuntimeSettings>;
export declare function workerRuntimeSettings(env?: NodeJS.ProcessEnv): WorkerRuntimeSettings;
export declare function workerNodeArgs(settings: WorkerRuntimeSettings): string[];
export declare function workerProcessEnv(settings: WorkerRuntimeSettings, env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export declare function missingWorkerRuntime(settings: WorkerRuntimeSettings, o?: { execArgv?: string[]; env?: NodeJS.ProcessEnv }): string[];
