// Lint rules, including the architecture's import boundaries: core imports no app, and no app
// imports another app (what two apps need moves to core).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const APPS = ['auth', 'machines', 'mealbuddy', 'zodiac', 'igemoji'];

const appBoundaries = APPS.map((app) => ({
  files: [`src/apps/${app}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: APPS.filter((other) => other !== app).map((other) => ({
          group: [`../${other}/**`, `../../${other}/**`, `../../apps/${other}/**`, `**/apps/${other}/**`],
          message: 'An app may not import another app: move shared code to src/core.',
        })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'web/dist/', 'coverage/', 'test-results/', 'drizzle/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/**', '../apps/*', '../../apps/*'], message: 'core may not import apps.' }] },
      ],
    },
  },
  ...appBoundaries,
  {
    files: ['bench/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
