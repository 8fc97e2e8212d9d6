/**
 * The Node.js runtime flags of every app process (api, worker), wherever it is started: the
 * launcher (`npm start`), the benches and the e2e tests that spawn the built apps. They go on the
 * command line (`node <flags> dist/apps/api/src/main.js`) because Node.js refuses most of V8's
 * flags in NODE_OPTIONS (and a flag there does not override these: the command line wins). The
 * Docker image's CMD, docker-compose.yml's commands and the `start:api` / `start:worker` scripts
 * say the same (app-runtime.spec.ts holds them to it).
 *
 * `--max-semi-space-size`: V8's young generation (two semi-spaces) grows to twice this while
 * requests allocate fast, and stays committed afterwards. The default (16 MiB each) kept a young
 * generation of 32 MiB resident for garbage that lives one request; half of that still holds
 * the garbage of the requests in flight between two scavenges.
 */
export const APP_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

