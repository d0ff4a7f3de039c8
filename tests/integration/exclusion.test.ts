import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../server/infra/db.ts';
import { sharedDatabase } from '../helpers/db.ts';

/**
 * The database itself must make double booking impossible: these tests insert rows directly,
 * bypassing every use case, and expect PostgreSQL to refuse overlaps on one guichet.
 */
let sql: Sql;
let serviceId: number;
let guichetA: number;
let guichetB: number;
let motifId: number;
let usagerId: number;

beforeAll(async () => {
  sql = sharedDatabase();
  const [service] = await sql`
    insert into services (code_principal, kind, name) values ('9999901', 'SIP', 'SERVICE DE TEST EXCLUSION')
    returning id`;
  serviceId = service!.id as number;
  const guichets = await sql`
    insert into guichets (service_id, name) values (${serviceId}, 'A'), (${serviceId}, 'B') returning id`;
  guichetA = guichets[0]!.id as number;
  guichetB = guichets[1]!.id as number;
  const [motif] = await sql`select id from motifs limit 1`;
  motifId = motif!.id as number;
  const [usager] = await sql`
    insert into usagers (type, civilite, nom_usage, prenoms, telephones)
    values ('particulier', 'MME', 'TEST', 'Alice', '{0600000000}') returning id`;
  usagerId = usager!.id as number;
});

afterAll(async () => {
  await sql`delete from rdvs where service_id = ${serviceId}`;
  await sql`delete from services where id = ${serviceId}`;
  await sql.end();
});

async function insertRdv(guichetId: number, start: string, end: string, code: string) {
  const [row] = await sql`
    insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal)
    values (${code}, ${serviceId}, ${guichetId}, ${motifId}, ${usagerId}, 'physique',
            tstzrange(${start}::timestamptz, ${end}::timestamptz, '[)'), 'internet')
    returning id`;
  return Number(row!.id); // bigserial arrives as a string
}

describe('exclusion constraint on rdvs', () => {
  it('rejects two overlapping active rdvs on one guichet (SQLSTATE 23P01)', async () => {
    await insertRdv(guichetA, '2030-01-07T09:00:00+01:00', '2030-01-07T09:20:00+01:00', 'AAAAAA');
    await expect(
      insertRdv(guichetA, '2030-01-07T09:10:00+01:00', '2030-01-07T09:30:00+01:00', 'AAAAAB'),
    ).rejects.toMatchObject({
      code: '23P01',
    });
  });

  it('accepts back-to-back rdvs (half-open ranges)', async () => {
    await expect(
      insertRdv(guichetA, '2030-01-07T09:20:00+01:00', '2030-01-07T09:40:00+01:00', 'AAAAAC'),
    ).resolves.toBeTypeOf('number');
  });

  it('accepts the same time on two different guichets', async () => {
    await expect(
      insertRdv(guichetB, '2030-01-07T09:00:00+01:00', '2030-01-07T09:20:00+01:00', 'AAAAAD'),
    ).resolves.toBeTypeOf('number');
  });

  it('accepts an overlap when the other rdv is cancelled', async () => {
    const id = await insertRdv(guichetA, '2030-01-08T10:00:00+01:00', '2030-01-08T10:20:00+01:00', 'AAAAAE');
    await sql`update rdvs set status = 'annule', cancelled_at = now() where id = ${id}`;
    await expect(
      insertRdv(guichetA, '2030-01-08T10:00:00+01:00', '2030-01-08T10:20:00+01:00', 'AAAAAF'),
    ).resolves.toBeTypeOf('number');
  });

  it('refuses to reactivate a cancelled rdv whose time was taken since', async () => {
    const id = await insertRdv(guichetB, '2030-01-09T10:00:00+01:00', '2030-01-09T10:20:00+01:00', 'AAAAAG');
    await sql`update rdvs set status = 'annule', cancelled_at = now() where id = ${id}`;
    await insertRdv(guichetB, '2030-01-09T10:00:00+01:00', '2030-01-09T10:20:00+01:00', 'AAAAAH');
    await expect(
      sql`update rdvs set status = 'confirme', cancelled_at = null where id = ${id}`,
    ).rejects.toMatchObject({ code: '23P01' });
  });

  it('keeps rdv codes unique among active rdvs only', async () => {
    await expect(
      insertRdv(guichetB, '2030-01-10T10:00:00+01:00', '2030-01-10T10:20:00+01:00', 'AAAAAH'),
    ).rejects.toMatchObject({
      code: '23505',
    });
  });
});
