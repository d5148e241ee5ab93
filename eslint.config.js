// Lint rules that keep the plugin architecture honest: the kernel imports no plugin,
// a plugin imports only the kernel (never another plugin, never anyone's internals).
import { readFileSync } from 'node:fs';
import tseslint from 'typescript-eslint';

// Core packages the kernel was split into: implementations the cli wires in (not plugins named in
// plugins.json). They form a chain — state <- agent <- server — and each may import only the ones
// below it. A plugin may import a core package only where its package.json declares it (for
// helpers and types: filter functions, error codes, test harnesses), never another plugin.
const CORE = {
  hcl: [],
  model: [],
  config: ['kernel', 'hcl'],
  tls: ['kernel', 'config'],
  http: ['kernel'],
  'snapshot-archive': ['kernel'],
  collections: ['kernel'],
  'stream-client': [],
  state: ['kernel', 'collections'],
  agent: ['kernel', 'state', 'config'],
  server: ['kernel', 'state', 'agent', 'config'],
};

/** The core packages `dir`'s package.json declares (dependencies or devDependencies). */
function declaredCore(dir) {
  const pkg = JSON.parse(readFileSync(new URL(`${dir}/package.json`, import.meta.url), 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  return Object.keys(CORE).filter((c) => names.includes(`@proconsul/${c}`));
}

const PLUGINS = [
  'store-memory',
  'store-rocksdb',
  'server-rpc',
  'raft',
  'serf',
  'gossip-keyring',
  'acl',
  'checks-http',
  'checks-tcp',
  'checks-udp',
  'checks-script',
  'checks-grpc',
  'api-http',
  'api-dns',
  'ui',
];

// Dynamic import() is invisible to no-restricted-imports, so the same boundaries are
// restated for it: a literal `@proconsul/...` source that the scope may not import, and any
// computed source (a plugin loaded by a name held in a variable), which only the kernel's
// plugin loader may do so that plugins are always resolved the way plugins.json resolves them.
const computedImport = {
  selector: 'ImportExpression[source.type!="Literal"][source.type!="TemplateLiteral"]',
  message: 'Load plugins by name through importPlugin (the kernel plugin loader), not a computed import().',
};
const computedTemplate = {
  selector: 'ImportExpression > TemplateLiteral.source[expressions.length>0]',
  message: computedImport.message,
};
/** import() of a literal @proconsul/... specifier outside `allowed` (package names, subpaths included). */
function dynamicImportOf(allowed, message) {
  const allow = allowed.map((a) => a.replace('/', '\\/')).join('|');
  const pattern = allow ? `/^@proconsul\\/(?!(${allow})(\\/|$))/` : '/^@proconsul\\//';
  return [
    { selector: `ImportExpression > Literal.source[value=${pattern}]`, message },
    { selector: `ImportExpression > TemplateLiteral.source > TemplateElement[value.cooked=${pattern}]`, message },
  ];
}
const restrictedSyntax = (allowed, message) => ['error', computedImport, computedTemplate, ...dynamicImportOf(allowed, message)];

const internals = {
  group: ['@proconsul/*/src/*', '@proconsul/*/dist/*', '../../*/src/*', '../../*/dist/*'],
  message: 'Reach other packages through their public entry point and the kernel tokens, not their files.',
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/dist-*/**', '**/node_modules/**', '.ci/**', '**/*.cjs', 'packages/cli/bin/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-this-alias': 'off', // async generators over a store need a stable receiver
      'no-restricted-imports': ['error', { patterns: [internals] }],
      'no-restricted-syntax': restrictedSyntax(
        ['kernel'],
        'A plugin is reached only through the kernel tokens, never by importing it.',
      ),
    },
  },
  {
    files: ['packages/kernel/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            internals,
            {
              group: ['@proconsul/*', '!@proconsul/model'],
              message: 'The kernel imports only @proconsul/model (its data types), never a plugin; resolve it by token.',
            },
          ],
        },
      ],
      'no-restricted-syntax': restrictedSyntax(['model'], 'The kernel never imports a plugin; resolve it by token.'),
    },
  },
  ...Object.entries(CORE).map(([name, below]) => ({
    files: [`packages/${name}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            internals,
            {
              group: ['@proconsul/*', ...[...below, name].map((b) => `!@proconsul/${b}`), '!@proconsul/kernel/testing'],
              message: `@proconsul/${name} imports only ${below.join(', ') || 'nothing'}: core packages form a chain, plugins are reached by token.`,
            },
          ],
        },
      ],
      'no-restricted-syntax': restrictedSyntax([...below, name], 'Core packages import only the core packages below them.'),
    },
  })),
  ...[...PLUGINS, 'cli', 'testing'].map((name) => {
    // Its own public entry too: a package's bench/ and test/ are built against it.
    const allowed = ['kernel', name, ...declaredCore(`packages/${name}`)];
    return {
      files: [`packages/${name}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              internals,
              {
                group: ['@proconsul/*', ...allowed.map((a) => `!@proconsul/${a}`), '!@proconsul/kernel/testing'],
                message: 'A plugin is reached only through the kernel tokens, never by importing it.',
              },
            ],
          },
        ],
        'no-restricted-syntax': restrictedSyntax(
          allowed,
          'A plugin is reached only through the kernel tokens, never by importing it.',
        ),
      },
    };
  }),
  {
    files: ['examples/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            internals,
            {
              group: ['@proconsul/*', '!@proconsul/kernel', '!@proconsul/kernel/testing', '!@proconsul/agent'],
              message: "Third-party plugins use only the kernel API (and the agent package's check helpers).",
            },
          ],
        },
      ],
      'no-restricted-syntax': restrictedSyntax(['kernel', 'agent'], 'Third-party plugins use only the kernel API.'),
    },
  },
  {
    // An application, not a plugin: it talks to Consul over HTTP and uses only the public test harness.
    files: ['examples/testing-consul-app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            internals,
            {
              group: ['@proconsul/*', '!@proconsul/testing'],
              message: 'An application reaches Proconsul over its HTTP API; tests use only @proconsul/testing.',
            },
          ],
        },
      ],
      'no-restricted-syntax': restrictedSyntax(['testing'], 'An application uses only @proconsul/testing.'),
    },
  },
  {
    // The kernel's tests, test kit and benchmarks are built after it, against its public entry
    // points (like any plugin's), so there they import @proconsul/kernel itself.
    files: ['packages/kernel/bench/**/*.ts', 'packages/kernel/test/**/*.ts', 'packages/kernel/test-support/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            internals,
            {
              group: ['@proconsul/*', '!@proconsul/kernel', '!@proconsul/kernel/testing'],
              message: 'The kernel never imports a plugin; resolve it by token.',
            },
          ],
        },
      ],
      'no-restricted-syntax': restrictedSyntax(['kernel'], 'The kernel never imports a plugin; resolve it by token.'),
    },
  },
  {
    // The one place a plugin is imported by a computed name: plugins.json resolution itself.
    files: ['packages/kernel/src/plugin/plugin-resolver.ts'],
    rules: {
      'no-restricted-syntax': restrictedSyntax([], 'The kernel never imports a plugin; resolve it by token.').filter(
        (r) => r !== computedImport,
      ),
    },
  },
  {
    // Developer scripts outside every package (e.g. the raft trace digest) load built files
    // by path; they are not plugins and ship nowhere.
    files: ['scripts/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
