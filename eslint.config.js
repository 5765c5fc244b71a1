import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'examples/', '.bench/', '__tests__/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    // The core never talks to the Actions runtime: only src/action (and the entry points) may.
    files: ['src/**/*.ts'],
    ignores: ['src/action/**', 'src/main.ts', 'src/post.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@actions/*'], message: 'Only src/action may import @actions/* (see DESIGN.md).' },
            { group: ['**/action/*', '**/action'], message: 'Core modules must not import src/action.' },
            { group: ['**/cli/*', '**/cli'], message: 'Core modules must not import src/cli.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'scripts/**', '__tests__/**'],
    rules: { 'no-console': 'off' },
  },
);
