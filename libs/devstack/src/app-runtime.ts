/**
 * How the Node.js runtime of every app process (api, worker) is set up, wherever it is started:
 * the launcher (`npm start`), the benches and the e2e tests that spawn the built apps. The Docker
 * image and the `start:api` / `start:worker` scripts say the same (app-runtime.spec.ts holds them
 * to it).
 *
 * `--max-semi-space-size`: V8's young generation (two semi-spaces) grows to twice this while
 * requests allocate fast, and stays committed afterwards. The default (16 MiB each) kept a young
 * generation of 32 MiB resident for garbage that lives one request; half of that still holds
 * the garbage of the requests in flight between two scavenges.
 */
export const APP_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=8'];

/**
 * The worker's own flags, after APP_NODE_OPTIONS. `--max-old-space-size=1024`: V8 lets the old
 * generation grow to a multiple of the heap that survived the last full collection before it runs
 * the next one, and that multiple is at most 4 with the default limit on a machine with more than
 * 16 GiB (≈ 4 GiB of heap) but 1.6 with a 1 GiB limit. Under triage the worker's live heap is
 * ≈ 45–60 MiB while the objects of the batches in flight are promoted and die in the old
 * generation: with ×4 it held 170 MiB of V8 pages (RSS 265 MiB), with ×1.6 ≈ 100 (RSS 181), for
 * no more CPU per triaged ticket (bench/README.md, branch r6-memory). The worker never holds a
 * large document at once (mail ≤ INBOUND_EMAIL_MAX_BYTES, 10 MiB). The api keeps the default: its
 * invoice import parses a CSV of up to BILLING_IMPORT_MAX_BYTES in one piece.
 */
export const WORKER_NODE_OPTIONS: readonly string[] = ['--max-old-space-size=1024'];

export type AppName = 'api' | 'worker';

/** The node flags an app process runs with (the Docker image and the start scripts say the same). */
export function appNodeOptions(app: AppName): readonly string[] {
  return app === 'worker' ? [...APP_NODE_OPTIONS, ...WORKER_NODE_OPTIONS] : APP_NODE_OPTIONS;
}

/**
 * The environment an app process is started with: `env` with the app's flags (appNodeOptions) in
 * NODE_OPTIONS, before what `env` already has there (so that a flag given there wins).
 */
export function appRuntimeEnv(env: NodeJS.ProcessEnv, app: AppName): NodeJS.ProcessEnv {
  const nodeOptions = [...appNodeOptions(app), env.NODE_OPTIONS].filter((part) => part !== undefined && part.trim() !== '').join(' ');
  return { ...env, NODE_OPTIONS: nodeOptions };
}
