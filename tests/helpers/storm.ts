import { randomUUID } from 'node:crypto';
import type { Sql } from '../../server/infra/db.ts';
import type { TestServer } from './app.ts';
import { ownerOf, type ServiceFixture, usager } from './fixtures.ts';

/** Every free start of a service for the next `days` days (internet canal). */
export async function offeredStarts(
  server: TestServer,
  svc: ServiceFixture,
  from: string,
  to: string,
): Promise<string[]> {
  const res = await server.api.request(
    `/api/v1/services/${svc.code}/slots?motif=${svc.motifId}&type=physique&from=${from}&to=${to}`,
  );
  const body = (await res.json()) as { days: { slots: { start: string }[] }[] };
  return body.days.flatMap((d) => d.slots.map((s) => s.start));
}

/** One usager's attempt: hold a start, then book it. Returns the HTTP statuses met. */
export async function attempt(
  server: TestServer,
  svc: ServiceFixture,
  start: string,
  n: number,
): Promise<{ hold: number; book?: number }> {
  const h = await server.api.request('/api/v1/holds', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ serviceCode: svc.code, motifId: svc.motifId, type: 'physique', start }),
  });
  if (h.status !== 201) return { hold: h.status };
  const { holdId } = (await h.json()) as { holdId: string };
  const b = await server.api.request('/api/v1/rdvs', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), cookie: ownerOf(h) },
    body: JSON.stringify({ holdId, usager: usager(n), precisions: 'tempête' }),
  });
  await b.arrayBuffer();
  return { hold: 201, book: b.status };
}

export async function activeRdvs(sql: Sql, serviceId: number): Promise<number> {
  const [row] = await sql<
    { n: number }[]
  >`select count(*)::int as n from rdvs where service_id = ${serviceId} and active`;
  return row!.n;
}
