// Every app of madang, by name. Only main.ts/app.ts/container.ts reach apps through this list.
import type { AppName } from '../core/config.js';
import type { AppFactory } from '../core/core.js';
import { createAuthApp } from './auth/index.js';
import { createMealbuddyApp } from './mealbuddy/index.js';
import { createMachinesApp } from './machines/index.js';
import { createZodiacApp } from './zodiac/index.js';
import { createIgemojiApp } from './igemoji/index.js';

export const APP_FACTORIES: Partial<Record<AppName, AppFactory>> = {
  auth: createAuthApp,
  mealbuddy: createMealbuddyApp,
  machines: createMachinesApp,
  zodiac: createZodiacApp,
  igemoji: createIgemojiApp,
};
