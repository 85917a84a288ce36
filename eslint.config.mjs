// Lint: typescript-eslint recommended, plus the layering of DESIGN §2 as import rules.
// Dependency direction: errno ← shm ← trace ← sched ← kernel ← drivers; check reads the arena
// through shm; exec depends on sched/kernel/check; campaign on exec; cli on campaign. Only exec,
// campaign, cli and workers may use worker threads. The model (kernel, drivers) has no wall
// clock, no Math.random, no timers and no promises. Offsets are imported through shm/layout.js, the
// index of the shm/layout/ region files.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const LAYERS = ['errno', 'shm', 'trace', 'sched', 'kernel', 'drivers', 'check', 'exec', 'campaign', 'cli'];
const MAY_IMPORT = {
  errno: [],
  shm: ['errno'],
  trace: ['errno', 'shm'],
  sched: ['errno', 'shm', 'trace'],
  kernel: ['errno', 'shm', 'trace', 'sched'],
  drivers: ['errno', 'shm', 'trace', 'sched', 'kernel'],
  check: ['errno', 'shm', 'trace'],
  exec: ['errno', 'shm', 'trace', 'sched', 'kernel', 'check'],
  campaign: ['errno', 'shm', 'trace', 'sched', 'kernel', 'drivers', 'check', 'exec'],
  cli: LAYERS.filter((l) => l !== 'cli'),
};
const THREADS_OK = new Set(['exec', 'campaign', 'cli']);

const layerRules = Object.entries(MAY_IMPORT).map(([layer, allowed]) => {
  const banned = LAYERS.filter((l) => l !== layer && !allowed.includes(l));
  const paths = THREADS_OK.has(layer) ? [] : [
    { name: 'node:worker_threads', message: `only exec/, campaign/, cli/ and workers/ use threads` },
    { name: 'piscina', message: 'only exec/ hosts actor threads' },
  ];
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        paths,
        patterns: [
          ...banned.map((b) => ({ group: [`../${b}/*`, `../../${b}/*`], message: `${layer}/ may not import ${b}/ (DESIGN §2)` })),
          { group: ['**/shm/layout/*'], message: 'import offsets through shm/layout.js, the index of the layout regions' },
        ],
      }],
    },
  };
});

const deterministic = {
  files: ['src/kernel/**/*.ts', 'src/drivers/**/*.ts'],
  rules: {
    'no-restricted-properties': ['error',
      { object: 'Date', property: 'now', message: 'time is virtual: use t.now()' },
      { object: 'Math', property: 'random', message: 'randomness comes from the trial PRNG' },
      { object: 'performance', property: 'now', message: 'time is virtual: use t.now()' }],
    'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'Promise'],
    'no-restricted-syntax': ['error',
      { selector: 'FunctionDeclaration[async=true]', message: 'the model is synchronous: yield instead' },
      { selector: 'ArrowFunctionExpression[async=true]', message: 'the model is synchronous: yield instead' },
      { selector: 'AwaitExpression', message: 'the model is synchronous: yield instead' },
      { selector: "CallExpression[callee.object.name='Atomics'][callee.property.name='wait']", message: 'Atomics.wait lives only in shm/futex.ts' }],
  },
};

const futexOnly = {
  files: ['src/**/*.ts', 'workers/**/*.ts'],
  ignores: ['src/shm/futex.ts'],
  rules: {
    'no-restricted-syntax': ['error',
      { selector: "CallExpression[callee.object.name='Atomics'][callee.property.name=/^wait/]", message: 'Atomics.wait lives only in shm/futex.ts' }],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'runs/**', 'vitest.config.mjs', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      // Kernel calls and driver ops are generators by contract (the caller yield*s them), even
      // when a particular implementation never blocks.
      'require-yield': 'off',
    },
  },
  futexOnly,
  ...layerRules,
  deterministic,
);
