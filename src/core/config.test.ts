import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('embedded defaults need nothing', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 8000, HOST: '0.0.0.0', DATA_DIR: './data', ACCESS_TOKEN_TTL: 1800, REFRESH_TOKEN_TTL: 86400 });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.runWorkersInProcess).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('with Redis, serve does not consume jobs unless RUN_WORKERS=true', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).runWorkersInProcess).toBe(false);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', RUN_WORKERS: 'true' }).runWorkersInProcess).toBe(true);
  });

  it('parses lists and numbers', () => {
    const c = loadConfig({ MADANG_APPS: 'auth, machines', PORT: '9000', CORS_ORIGINS: 'http://a.test,http://b.test' });
    expect(c.MADANG_APPS).toEqual(['auth', 'machines']);
    expect(c.PORT).toBe(9000);
    expect(c.CORS_ORIGINS).toEqual(['http://a.test', 'http://b.test']);
  });

  it('reports every bad variable, one line each', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', MADANG_APPS: 'auth,nope', JWT_SECRET: 'short' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const lines = (err as ConfigError).message.split('\n');
      expect(lines).toHaveLength(4);
      expect(lines.every((l) => l.startsWith('config: '))).toBe(true);
      expect(lines.join('\n')).toMatch(/PORT/);
      expect(lines.join('\n')).toMatch(/DATABASE_URL/);
      expect(lines.join('\n')).toMatch(/MADANG_APPS/);
      expect(lines.join('\n')).toMatch(/JWT_SECRET/);
    }
  });

  it('production requires a JWT secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).NODE_ENV).toBe('production');
  });
});
