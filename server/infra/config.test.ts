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

  it('requires a signing secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@h/db' })).toThrow(
      /SIGNING_SECRET/,
    );
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });
});
