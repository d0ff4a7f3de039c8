import type { Sql } from '../../server/infra/db.ts';

// What every booking race shares, whatever it breaks meanwhile (storm, fault, load): many usagers
// at once with a bounded number in flight, and the invariant that must hold after it.

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
