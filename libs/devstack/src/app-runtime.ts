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
 *
 * `--max-old-space-size=1024`: V8 lets the old generation grow to a multiple of the heap that
 * survived the last full collection before it runs the next one, and that multiple is at most 4
 * with the default limit on a machine with more than 16 GiB (≈ 4 GiB of heap) but ≈ 1.6 with a
 * 1 GiB limit. Under load the live heap is small (worker under triage ≈ 45–60 MiB, api under intake
 * ≈ 95–115 MiB) while the objects of the work in flight are promoted and die in the old generation:
 * with ×4 the worker held 170 MiB of V8 pages (RSS 265 MiB), with ×1.6 ≈ 100 (RSS 181); the api's
 * peak under `bench:intake` went from 270–273 to 199–205 MiB, for no more CPU per ticket in either
 * (bench/README.md, branch r6-memory and "Performance round 6"). 1 GiB still holds the largest
 * single piece of work: the api's invoice import of a CSV of BILLING_IMPORT_MAX_BYTES (64 MiB)
 * leaves ≈ 280 MiB live; the worker never holds a large document (mail ≤ INBOUND_EMAIL_MAX_BYTES).
 */
export const APP_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=8', '--max-old-space-size=1024'];

/**
 * What one app changes in APP_NODE_OPTIONS (a flag of the same name replaces the shared one).
 *
 * The worker's `--max-semi-space-size=16` (V8 rounds the size up to a power of two: 12 is 16, 24 is
 * 32): an escalation delivery stays in flight ≈ 240 ms (200 at once), two or three scavenges of 8 MiB
 * semi-spaces, so what it holds was copied, promoted and then marked. With 16, phase 1 of
 * `bench:escalation` (10,000) ran 54–57 scavenges instead of 112–115, moving 13–21 KB a delivery
 * instead of 29–31. It costs 16 MiB resident (two semi-spaces of 16 instead of 8): the worker's peak
 * under `bench:triage` went from 185–186 to 201–204 MiB, over its 200 MiB target, so its old generation
 * is capped at 512 MiB, which lowers V8's growing factor from ≈ 1.6 to ≈ 1.4 (see above): 193 MiB.
 * The worker's largest single piece of work is a mail of INBOUND_EMAIL_MAX_BYTES (10 MiB); its live
 * heap under load is 45–60 MiB. bench/README.md, branches r16-escalation and r17-escalation.
 */
export const APP_NODE_OPTIONS_OF: Readonly<Partial<Record<AppName, readonly string[]>>> = {
  worker: ['--max-semi-space-size=16', '--max-old-space-size=512'],
};

/** `--name=value` → `--name`. */
const flagName = (flag: string) => flag.split('=')[0];

/** APP_NODE_OPTIONS with what `app` changes in them: its flags in place of the shared ones of the same name, its new ones last. */
export function appNodeOptions(app: AppName): string[] {
  const own = APP_NODE_OPTIONS_OF[app] ?? [];
  const sameName = (a: string) => (b: string) => flagName(a) === flagName(b);
  return [...APP_NODE_OPTIONS.map((flag) => own.find(sameName(flag)) ?? flag), ...own.filter((flag) => !APP_NODE_OPTIONS.some(sameName(flag)))];
}

/**
 * `MALLOC_ARENA_MAX` for glibc's malloc (the heap outside V8's: its collector's work lists, Node's
 * and the libraries' native buffers). By default glibc gives each thread that contends for malloc
 * an arena of its own, up to 8 per core, and keeps what each arena once held: the main thread,
 * libuv's four and V8's collector threads each kept their own. With 2, the api's memory outside the
 * V8 heap after `bench:intake` fell from 22–26 to 18–21 MiB and its peak by 4–10 MiB, for no more CPU
 * per ticket in the pairs measured (bench/README.md, branch r9-apiheap). The caller's value wins.
 */
export const APP_MALLOC_ARENA_MAX = '2';

export type AppName = 'api' | 'worker' | 'mail-in';

/**
 * The environment `app` is started with: `env` with appNodeOptions(app) in NODE_OPTIONS, before what
 * `env` already has there (so that a flag given there wins), and MALLOC_ARENA_MAX unless `env` sets it.
 */
export function appRuntimeEnv(env: NodeJS.ProcessEnv, app: AppName): NodeJS.ProcessEnv {
  const nodeOptions = [...appNodeOptions(app), env.NODE_OPTIONS].filter((part) => part !== undefined && part.trim() !== '').join(' ');
  return { ...env, NODE_OPTIONS: nodeOptions, MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? APP_MALLOC_ARENA_MAX };
}
