// drizzle-kit generates each module's migrations into drizzle/<module>/ from its table files:
//   npm run db:generate            (all modules)
//   MODULE=auth npx drizzle-kit generate
import { defineConfig } from 'drizzle-kit';

const MODULES: Record<string, string[]> = {
  core: ['./src/core/identity/sessions.table.ts'],
  auth: ['./src/apps/auth/auth.table.ts'],
  machines: ['./src/apps/machines/machines.table.ts', './src/apps/machines/floor/floor.table.ts'],
  mealbuddy: ['./src/apps/mealbuddy/**/*.table.ts'],
  zodiac: ['./src/apps/zodiac/**/*.table.ts'],
  igemoji: ['./src/apps/igemoji/**/*.table.ts'],
  import: ['./src/import/import.table.ts'],
};

const mod = process.env.MODULE ?? 'core';
const schema = MODULES[mod];
if (!schema) throw new Error(`unknown MODULE ${mod}; known: ${Object.keys(MODULES).join(', ')}`);

export default defineConfig({
  dialect: 'postgresql',
  schema,
  out: `./drizzle/${mod}`,
  migrations: { table: `__migrations_${mod}`, schema: 'public' },
});
