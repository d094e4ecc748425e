// Every app of madang. Only main.ts, app.ts, container.ts (and the test harness) reach apps, and
// only through this list. An app's code is imported only when it is chosen (loadApp): a process
// serving auth alone does not load machines' MQTT client or igemoji's image library (about 30 MB
// of RSS and 0.4-0.9 s of start here). Each app's variables are read up front, from its small
// config module, so one report still lists every chosen app's bad settings.
import { loadConfig, type Config, type EnvSchema } from '../core/config.js';
import type { AppDefinition } from '../core/core.js';
import { igemojiEnv } from './igemoji/igemoji.config.js';
import { machinesEnv } from './machines/machines.config.js';
import { mealbuddyEnv } from './mealbuddy/mealbuddy.config.js';
import { zodiacEnv } from './zodiac/zodiac.config.js';

export type AppName = 'auth' | 'mealbuddy' | 'machines' | 'zodiac' | 'igemoji';

export interface AppEntry {
  name: AppName;
  /** the app's own environment variables (the same schema its definition declares) */
  env?: EnvSchema;
  load(): Promise<AppDefinition>;
}

export const APPS: readonly AppEntry[] = [
  { name: 'auth', load: async () => (await import('./auth/index.js')).authApp },
  { name: 'mealbuddy', env: mealbuddyEnv, load: async () => (await import('./mealbuddy/index.js')).mealbuddyApp },
  { name: 'machines', env: machinesEnv, load: async () => (await import('./machines/index.js')).machinesApp },
  { name: 'zodiac', env: zodiacEnv, load: async () => (await import('./zodiac/index.js')).zodiacApp },
  { name: 'igemoji', env: igemojiEnv, load: async () => (await import('./igemoji/index.js')).igemojiApp },
];

/** the app's definition, its code imported now (undefined: no such app) */
export async function loadApp(name: string): Promise<AppDefinition | undefined> {
  const entry = APPS.find((a) => a.name === name);
  if (!entry) return undefined;
  const def = await entry.load();
  if (def.name !== entry.name || def.env !== entry.env) throw new Error(`registry entry ${name} does not match its app definition`);
  return def;
}

/** the whole configuration: the core's variables and those of every chosen app, checked at once */
export function loadSettings(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(env, Object.fromEntries(APPS.map((a) => [a.name, a.env])));
}
