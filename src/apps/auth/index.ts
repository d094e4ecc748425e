// auth (seed 003, baro_intern_assignment): sign-up, login, token verification with the README's
// error codes, plus what the original lacked: a Bearer-guarded /api/me/, refresh rotation, logout.
// Owns the auth_users table.
import { defineApp } from '../../core/core.js';
import { SharedCache } from '../../core/realtime/shared-cache.js';
import { authMessages } from './auth.messages.js';
import { AuthRepository } from './auth.repository.js';
import { authRoutes } from './auth.routes.js';
import { AuthService } from './auth.service.js';
import type { AuthUser } from './auth.table.js';

export const authApp = defineApp({
  name: 'auth',
  uses: ['db', 'identity', 'pubsub', 'http', 'metrics'],
  create(ctx) {
    const users = new SharedCache<AuthUser | null>('auth-users', ctx.pubsub, { ttlMs: 30_000, max: 50_000, metrics: ctx.metrics });
    const service = new AuthService(new AuthRepository(ctx.db), ctx.identity, users);
    return {
      name: 'auth',
      migrations: ['auth'],
      routes: authRoutes(ctx, service),
      jobs: [],
      messages: authMessages,
      tables: ['auth_users'],
      async seedDemo(password) {
        await service.signup({ username: 'demo', password, nickname: 'demo' }).catch(() => undefined);
        return 'user "demo"';
      },
    };
  },
});
