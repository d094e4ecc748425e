import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, int, loadConfig } from './config.js';

// two made-up apps: core knows apps only through the schemas its caller hands in
const APPS = {
  alpha: z.object({ ALPHA_LIMIT: int(5, 1, 10) }),
  beta: undefined,
};

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
    const c = loadConfig({ MADANG_APPS: 'beta, alpha', PORT: '9000', CORS_ORIGINS: 'http://a.test,http://b.test' }, APPS);
    expect(c.appNames).toEqual(['beta', 'alpha']);
    expect(c.PORT).toBe(9000);
    expect(c.CORS_ORIGINS).toEqual(['http://a.test', 'http://b.test']);
  });

  it('TRUST_PROXY: off, a hop count (true = 1) or proxy addresses; anything else is reported (issue 15 #1)', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,loopback, ::1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '127.0.0.1', 'loopback', '::1']);
    for (const bad of ['everyone', '10.0.0.0/33', '300.1.1.1', '11', '10.0.0.1/8/2']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/config: TRUST_PROXY: must be false, a hop count/);
    }
  });

  it('reports every bad variable, one line each', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', MADANG_APPS: 'alpha,nope', JWT_SECRET: 'short', ALPHA_LIMIT: '50' }, APPS);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const lines = (err as ConfigError).message.split('\n');
      expect(lines).toHaveLength(5);
      expect(lines.every((l) => l.startsWith('config: '))).toBe(true);
      expect(lines.join('\n')).toMatch(/PORT/);
      expect(lines.join('\n')).toMatch(/DATABASE_URL/);
      expect(lines.join('\n')).toMatch(/MADANG_APPS/);
      expect(lines.join('\n')).toMatch(/JWT_SECRET/);
      expect(lines.join('\n')).toMatch(/ALPHA_LIMIT/);
    }
  });

  it("gives each chosen app its own settings, and only the chosen apps' variables are read", () => {
    const all = loadConfig({ ALPHA_LIMIT: '7' }, APPS);
    expect(all.appNames).toEqual(['alpha', 'beta']);
    expect(all.apps).toEqual({ alpha: { ALPHA_LIMIT: 7 }, beta: {} });
    expect(all).not.toHaveProperty('ALPHA_LIMIT');
    const betaOnly = loadConfig({ MADANG_APPS: 'beta', ALPHA_LIMIT: 'not a number' }, APPS);
    expect(betaOnly.apps).toEqual({ beta: {} });
  });

  it('production requires a JWT secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).NODE_ENV).toBe('production');
  });
});
