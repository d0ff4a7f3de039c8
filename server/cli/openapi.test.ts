import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { offlineDocument, schemaTypes } from './openapi.ts';

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };

describe('the OpenAPI document, built without a database', () => {
  const doc = offlineDocument() as unknown as { paths: Record<string, Record<string, Operation>> };
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );

  it('documents every route the front end calls, the demo mailbox included', () => {
    for (const path of [
      '/api/v1/services/{code}',
      '/api/v1/contact-reasons',
      '/api/v1/services',
      '/api/v1/services/dresg',
      '/api/v1/services/{code}/slots',
      '/api/v1/holds',
      '/api/v1/holds/{holdId}',
      '/api/v1/rdvs',
      '/api/v1/rdvs/self-service',
      '/api/v1/rdvs/self-service/cancel',
      '/api/dev/mails',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });

  it('gives a body schema to every answer that has a body', () => {
    const missing = operations.flatMap(({ path, method, op }) =>
      Object.entries(op.responses ?? {})
        .filter(([status]) => status !== '204')
        .filter(([, response]) => {
          const media = Object.values(response.content ?? {});
          return media.length === 0 || media.some((m) => m.schema === undefined);
        })
        .map(([status]) => `${method.toUpperCase()} ${path} ${status}`),
    );
    expect(missing).toEqual([]);
  });

  it('matches the committed front-end types (npm run openapi regenerates them)', async () => {
    const committed = await readFile(new URL('../../src/lib/api/schema.d.ts', import.meta.url), 'utf8');
    expect(committed === (await schemaTypes()), 'src/lib/api/schema.d.ts est à jour').toBe(true);
  });
});
