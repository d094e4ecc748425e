// Lint rules, including the architecture's import boundaries: core imports no app, no app imports
// another app (what two apps need moves to core), a few areas inside an app depend one way only,
// and no import cycle anywhere.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const APPS = ['auth', 'machines', 'mealbuddy', 'zodiac', 'igemoji'];

const otherApps = (app) =>
  APPS.filter((other) => other !== app).map((other) => ({
    group: [`../${other}/**`, `../../${other}/**`, `../../apps/${other}/**`, `**/apps/${other}/**`],
    message: 'An app may not import another app: move shared code to src/core.',
  }));

// Areas of one app that depend one way only: [app, area, areas it may not import, why].
const ONE_WAY = [['mealbuddy', 'posts', ['chat'], 'a post owns its room; chat depends on posts (posts reach it through RoomChat)']];

const appBoundaries = APPS.map((app) => ({
  files: [`src/apps/${app}/**/*.ts`],
  rules: { 'no-restricted-imports': ['error', { patterns: otherApps(app) }] },
}));

// (a later block replaces the rule's options for its files, so the app boundary is repeated)
const areaDirections = ONE_WAY.map(([app, area, banned, why]) => ({
  files: [`src/apps/${app}/${area}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...otherApps(app),
          ...banned.map((other) => ({ group: [`../${other}/**`, `**/apps/${app}/${other}/**`], message: `${app}/${area} may not import ${app}/${other}: ${why}.` })),
        ],
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
  ...areaDirections,
  {
    // no module may reach itself through its imports (type-only imports vanish at run time and
    // are not counted); sources import each other as `./x.js`, resolved to the `.ts` file
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'], extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['bench/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // plain-JavaScript launchers that run before anything is compiled
    files: ['scripts/**/*.mjs', 'bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: { 'no-console': 'off' },
  },
);
