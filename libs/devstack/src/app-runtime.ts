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
 * The environment an app process is started with: `env` with APP_NODE_OPTIONS in NODE_OPTIONS,
 * before what `env` already has there (so that a flag given there wins).
 */
export function appRuntimeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const nodeOptions = [...APP_NODE_OPTIONS, env.NODE_OPTIONS].filter((part) => part !== undefined && part.trim() !== '').join(' ');
  return { ...env, NODE_OPTIONS: nodeOptions };
}
