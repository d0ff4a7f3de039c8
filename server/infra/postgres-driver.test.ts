import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyDriverFix } from './postgres-driver.ts';

// …/postgres/cjs/src/index.js → …/postgres
const root = path.resolve(path.dirname(createRequire(import.meta.url).resolve('postgres')), '../..');

describe('the postgres.js fix', () => {
  // Fails when a new driver no longer matches: check upstream, then drop the fix or adapt it.
  it.each(['src/connection.js', 'cjs/src/connection.js'])('applies to the installed %s', async (file) => {
    const fixed = applyDriverFix(await readFile(path.join(root, file), 'utf8'));
    expect(fixed).not.toBeNull();
    expect(fixed).toMatch(/function nextWrite\(fn\) \{\n\s+if \(!socket\) \{/);
    expect(fixed).toMatch(/clearImmediate\(nextWriteTimer\)\n\s+nextWriteTimer = null/);
  });

  it('leaves an unknown source alone', () => {
    expect(applyDriverFix('function nextWrite(fn) { if (!socket) return }')).toBeNull();
  });

  it('is the code the driver runs', async () => {
    await import('./postgres-driver.ts');
    const loaded = await import(new URL('./connection.js', import.meta.resolve('postgres')).href);
    expect(String(loaded.default)).toMatch(/function nextWrite\(fn\) \{\n\s+if \(!socket\) \{/);
  });
});
