// Lint rules that keep the plugin architecture honest: the kernel imports no plugin,
// a plugin imports only the kernel (never another plugin, never anyone's internals).
import tseslint from 'typescript-eslint';

const PLUGINS = [
  'store-memory',
  'store-rocksdb',
  'raft',
  'serf',
  'gossip-keyring',
  'acl',
  'checks-http',
  'checks-tcp',
  'checks-script',
  'checks-grpc',
  'api-http',
  'api-dns',
  'ui',
];

const internals = {
  group: ['@proconsul/*/src/*', '@proconsul/*/dist/*', '../../*/src/*', '../../*/dist/*'],
  message: 'Reach other packages through their public entry point and the kernel tokens, not their files.',
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.ci/**', '**/*.cjs', 'packages/cli/bin/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-this-alias': 'off', // async generators over a store need a stable receiver
      'no-restricted-imports': ['error', { patterns: [internals] }],
    },
  },
  {
    files: ['packages/kernel/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [internals, { group: ['@proconsul/*'], message: 'The kernel never imports a plugin; resolve it by token.' }],
        },
      ],
    },
  },
  ...[...PLUGINS, 'cli'].map((name) => ({
    files: [`packages/${name}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            internals,
            {
              group: ['@proconsul/*', '!@proconsul/kernel', '!@proconsul/kernel/testing'],
              message: 'A plugin is reached only through the kernel tokens, never by importing it.',
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['examples/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            internals,
            {
              group: ['@proconsul/*', '!@proconsul/kernel', '!@proconsul/kernel/testing'],
              message: 'Third-party plugins use only the kernel API.',
            },
          ],
        },
      ],
    },
  },
);
