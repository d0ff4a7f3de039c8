import { randomUUID } from 'node:crypto';
import type { Sql } from '../../server/infra/db.ts';
import type { TestServer } from './app.ts';
import { type ServiceFixture, usager } from './fixtures.ts';

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
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ holdId, usager: usager(n), precisions: 'tempête' }),
  });
  await b.arrayBuffer();
  return { hold: 201, book: b.status };
}

/** Runs `count` tasks with at most `concurrency` at once. */
export async function pool<T>(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

/** Pairs of active rdvs that overlap on one guichet: must always be 0. */
export async function overlaps(sql: Sql, serviceId: number): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from rdvs a join rdvs b
      on a.guichet_id = b.guichet_id and a.id < b.id and a.during && b.during
    where a.service_id = ${serviceId} and b.service_id = ${serviceId} and a.active and b.active`;
  return row!.n;
}

export async function activeRdvs(sql: Sql, serviceId: number): Promise<number> {
  const [row] = await sql<
    { n: number }[]
  >`select count(*)::int as n from rdvs where service_id = ${serviceId} and active`;
  return row!.n;
}
