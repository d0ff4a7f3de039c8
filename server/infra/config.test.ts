import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to the embedded, single-node demo', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      redisUrl: undefined,
      demo: true,
      production: false,
    });
  });

  it('turns demo off by default with an external database', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).demo).toBe(false);
  });

  it('names the variable of a bad value', () => {
    expect(() => loadConfig({ PORT: 'quatre-vingts' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'quatre-vingts' })).toThrow(/PORT/);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
  });

  it('refuses demo data in production', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        DEMO: 'true',
        DATABASE_URL: 'postgres://u@h/db',
        SIGNING_SECRET: 'x'.repeat(32),
      }),
    ).toThrow(/DEMO/);
  });

  it('has no signing secret of its own: none comes from the source code', () => {
    expect(loadConfig({}).signingSecret).toBeUndefined();
    expect(
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@h/db' }).signingSecret,
    ).toBeUndefined();
    expect(loadConfig({ SIGNING_SECRET: 'y'.repeat(40) }).signingSecret).toBe('y'.repeat(40));
  });

  it('reads TRUST_PROXY as a number of trusted hops (true = 1, false = 0)', () => {
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(() => loadConfig({ TRUST_PROXY: 'beaucoup' })).toThrow(/TRUST_PROXY/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });
});
