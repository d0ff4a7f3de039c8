/*
 * The CSV export in `npm run bench`: 10,000 rdvs streamed to a client beside reading the same rows
 * through a bare cursor, and the node's heap while it streams 10,000 then 100,000 rows (flat: the
 * export holds one batch at a time, whatever the range).
 */
import { randomUUID } from 'node:crypto';
import { sessionIdOf } from '../server/app/auth.ts';
import type { Guichet } from '../server/boot.ts';
import { createService } from '../tests/helpers/fixtures.ts';
import type { BenchRow } from './agenda.ts';

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const mb = (bytes: number) => bytes / 1_048_576;

export async function runCsvBench(guichet: Guichet, productUrl: string): Promise<BenchRow[]> {
  const { sql } = guichet.deps;
  const rows: BenchRow[] = [];
  const [agent] = await sql<{ id: number }[]>`
    insert into agents (login, display_name, password_hash, administrateur)
    values (${`banc.csv.${randomUUID()}`}, 'Banc CSV', 'x', true) returning id`;
  const token = randomUUID();
  await sql`insert into sessions (id, agent_id, expires_at) values (${sessionIdOf(token)}, ${agent!.id}, ${new Date(Date.now() + 3_600_000)})`;
  const cookie = `guichet_session=${token}`;

  // What the export keeps alive while it streams: the heap after a full collection, taken at a
  // quarter, a half and three quarters of the file (garbage between two batches is not retained).
  const gc = (globalThis as { gc?: () => void }).gc;
  const measure = async (
    code: string,
    from: string,
    to: string,
    expectedRows: number,
    sampleHeap: boolean,
  ) => {
    gc?.();
    const before = process.memoryUsage().heapUsed;
    let retained = Number.NEGATIVE_INFINITY;
    const started = performance.now();
    const res = await fetch(`${productUrl}/api/v1/agent/rdvs.csv?from=${from}&to=${to}&service=${code}`, {
      headers: { cookie },
    });
    let bytes = 0;
    let lines = 0;
    let checkpoint = 1;
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
      if (sampleHeap && gc && lines >= (checkpoint * expectedRows) / 4 && checkpoint < 4) {
        checkpoint++;
        gc();
        retained = Math.max(retained, process.memoryUsage().heapUsed - before);
      }
    }
    const ms = performance.now() - started;
    return { ms, bytes, retained, lines };
  };

  for (const [code, count, days] of [
    ['9990010', 10_000, 4],
    ['9990011', 100_000, 35],
  ] as const) {
    await insertBulk(guichet, code, '2027-03-01', count);
    const to = new Date(Date.parse('2027-03-01') + days * 86_400_000).toISOString().slice(0, 10);
    // Timed alone, then again with the heap sampled (the collections would slow the first).
    const exported = await measure(code, '2027-03-01', to, count, false);
    const sampled = await measure(code, '2027-03-01', to, count, true);
    const started = performance.now();
    let read = 0;
    for await (const batch of sql`
      select r.id, r.code, lower(r.during) as start, u.nom_usage from rdvs r join usagers u on u.id = r.usager_id
      join services s on s.id = r.service_id where s.code_principal = ${code} order by lower(r.during), r.id`.cursor(
      500,
    )) {
      read += batch.length;
    }
    const bare = performance.now() - started;
    rows.push(
      {
        what: `CSV export of ${count.toLocaleString('en')} rdvs (${fmt(mb(exported.bytes), 1)} MB, ${exported.lines - 1} lines) — ms, vs a bare cursor read of ${read}`,
        value: fmt(exported.ms, 0),
        baseline: fmt(bare, 0),
        ratio: fmt(exported.ms / bare, 2),
      },
      {
        what: `CSV export of ${count.toLocaleString('en')} rdvs — heap kept while streaming, MB${gc ? '' : ' (run with --expose-gc)'}`,
        value: Number.isFinite(sampled.retained) ? fmt(mb(sampled.retained), 1) : '—',
        baseline: '—',
        ratio: '—',
      },
    );
  }
  return rows;
}

/**
 * `count` rdvs in one statement (the bench needs volume, not realism). They are cancelled ones:
 * the export lists every state, and cancelled rdvs escape the uniqueness of active codes and the
 * exclusion constraint, which a mass insert cannot satisfy cheaply.
 */
async function insertBulk(guichet: Guichet, code: string, day: string, count: number) {
  const { sql } = guichet.deps;
  const svc = await createService(sql, {
    code,
    guichets: Array.from({ length: 20 }, (_, i) => ({
      name: `G${i}`,
      plages: [1, 2, 3, 4, 5, 6, 7].map((d) => [d, '00:00', '24:00'] as [number, string, string]),
    })),
  });
  await sql`
    with u as (
      insert into usagers (type, civilite, nom_usage, prenoms, telephones)
      select 'particulier', 'MME', 'USAGÈRE ' || i, 'Zoé', array['+33612345678'] from generate_series(1, ${count}) i
      returning id),
    n as (select id, row_number() over (order by id) - 1 as k from u)
    insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal, status, cancelled_at)
    select 'BANCCS', ${svc.serviceId}, (${svc.guichetIds}::int[])[1 + k % 20], ${svc.motifId}, id, 'physique',
           tstzrange(${day}::date + ((k / 20) * interval '10 minutes'),
                     ${day}::date + ((k / 20) * interval '10 minutes') + interval '10 minutes', '[)'),
           'internet', 'annule', now()
    from n`;
}
