import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { createLogger, safeError } from '../../server/infra/logger.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { usager } from '../helpers/fixtures.ts';

/*
 * A PostgreSQL constraint error quotes the failing row in its `detail` (and postgres.js keeps the
 * query's parameters): logging the error object as it is would put a name and a phone number in
 * the logs. Every `err` goes through one safe serialiser.
 */
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});
const clock = fixedClock(new Date('2026-12-03T10:00:00+01:00'));
let server: TestServer;

/** A real constraint error: three phone numbers break the usagers check, with a name in the row. */
async function constraintError(): Promise<Error> {
  try {
    await server.deps.sql`
      insert into usagers (type, civilite, nom_usage, prenoms, telephones, email)
      values ('particulier', 'MME', 'VALENTONESSE', 'Philippine', ${['0655555555', '0655555556', '0655555557']}::text[],
              'philippine.valentonesse@example.org')`;
  } catch (err) {
    return err as Error;
  }
  throw new Error('la contrainte aurait dû refuser la ligne');
}

beforeAll(async () => {
  server = await startTestServer({ clock, log: createLogger('info', sink) });
});
afterAll(() => server.close());

describe('errors in the logs', () => {
  it('the raw PostgreSQL error does carry the row (this is what must not be logged)', async () => {
    const err = await constraintError();
    expect(JSON.stringify({ ...err, message: err.message })).toMatch(/VALENTONESSE/);
  });

  it('safeError keeps the code, the constraint and the stack, never the row', async () => {
    const safe = safeError(await constraintError());
    expect(safe).toMatchObject({ code: '23514', table: 'usagers', constraint: 'usagers_telephones_check' });
    expect(safe.stack).toMatch(/\n\s+at /);
    expect(JSON.stringify(safe)).not.toMatch(/VALENTONESSE|Philippine|0655555555|example\.org/);
  });

  it('an unexpected constraint error in a request: a generic 500, and a log line without personal data', async () => {
    const failure = await constraintError();
    const holds = server.deps.holds;
    const original = holds.get;
    holds.get = async () => {
      throw failure;
    };
    try {
      const res = await fetch(`${server.url}/api/v1/rdvs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ holdId: randomUUID(), usager: usager(1), precisions: 'erreur' }),
      });
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect((await res.json()).detail).toMatch(/erreur inattendue/);
    } finally {
      holds.get = original;
    }
    const logged = lines.find((l) => l.includes('erreur inattendue'));
    expect(logged).toBeDefined();
    expect(JSON.parse(logged!).err).toMatchObject({ code: '23514', constraint: 'usagers_telephones_check' });
    expect(logged).not.toMatch(/VALENTONESSE|Philippine|0655555555|example\.org|Failing row/);
  });
});
