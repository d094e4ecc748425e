// Every app of madang. Only main.ts, app.ts, container.ts (and the test harness) reach apps, and
// only through this list.
import { loadConfig, type Config } from '../core/config.js';
import type { AppDefinition } from '../core/core.js';
import { authApp } from './auth/index.js';
import { igemojiApp } from './igemoji/index.js';
import { machinesApp } from './machines/index.js';
import { mealbuddyApp } from './mealbuddy/index.js';
import { zodiacApp } from './zodiac/index.js';

export const APPS: readonly AppDefinition[] = [authApp, mealbuddyApp, machinesApp, zodiacApp, igemojiApp];

export type AppName = 'auth' | 'mealbuddy' | 'machines' | 'zodiac' | 'igemoji';

export function appByName(name: string): AppDefinition | undefined {
  return APPS.find((a) => a.name === name);
}

/** the whole configuration: the core's variables and those of every chosen app, checked at once */
export function loadSettings(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(env, Object.fromEntries(APPS.map((a) => [a.name, a.env])));
}
