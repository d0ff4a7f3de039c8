import { stringify } from 'csv-stringify/sync';
import { finishExportAudit, insertExportAudit, type ListRow, streamRdvs } from '../store/rdv-lists.ts';
import type { SignedInAgent } from './auth.ts';
import type { Deps } from './deps.ts';
import { AppError } from './errors.ts';
import { filterFor, item, type ListQuery, type RdvListItem } from './rdv-lists.ts';

const EXPORT_BATCH = 500;

const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

const CSV_COLUMNS = [
  'Service',
  'Date',
  'Horaires',
  'Usager',
  'Type de RDV',
  'Guichet',
  'Date du contre-appel',
  'Etat du RDV',
  'Code du RDV',
];

function csvRecord(i: RdvListItem): string[] {
  return [
    i.service.name,
    frDate(i.date),
    i.horaires,
    i.usager,
    i.typeLabel,
    i.guichet,
    i.contreAppelDate ? frDate(i.contreAppelDate) : '',
    i.etat,
    i.code,
  ];
}

/** Why an export stopped before the end, as its audit line says it. */
type Interruption = 'client parti' | 'client inactif' | 'erreur';

/**
 * "Exporter la liste en csv": what the list shows, for the whole range, streamed from a
 * PostgreSQL cursor through csv-stringify (UTF-8 with BOM, `;`, French dates, formula cells
 * escaped).
 *
 * Audited before the first byte leaves (no audit line, no export: the request fails), then
 * completed with the rows sent and whether the export reached the end.
 *
 * The cursor holds one of the pool's connections until it is closed, so every way out closes it:
 * the end, an error, the client going away, and a client that stops reading for
 * `csvExportStallSeconds` (its socket would otherwise keep the connection for as long as it stays
 * open).
 */
export async function exportRdvs(
  deps: Pick<Deps, 'sql' | 'clock' | 'log' | 'config'>,
  agent: SignedInAgent,
  q: ListQuery,
): Promise<{ filename: string; body: ReadableStream<Uint8Array> }> {
  const f = await filterFor(deps, agent, q);
  const auditId = await insertExportAudit(deps.sql, {
    agentId: agent.context.agentId,
    details: {
      du: q.from,
      au: q.to,
      service: q.service ?? 'tous',
      etat: q.state ?? 'tous',
      lignes: 0,
      complet: false,
    },
  }).catch((err: unknown) => {
    deps.log.error({ err }, 'export CSV : audit impossible, export refusé');
    throw new AppError(
      'EXPORT_NOT_AUDITED',
      'L’export n’a pas pu être inscrit au journal d’audit : aucune donnée n’est partie. Réessayez dans un instant.',
      { retryAfter: 5 },
    );
  });

  const now = deps.clock.now().getTime();
  const encoder = new TextEncoder();
  const rows = f.serviceIds.length ? streamRdvs(deps.sql, f, EXPORT_BATCH)[Symbol.asyncIterator]() : null;
  // The batch being fetched, if any. postgres.js (3.4) closes a cursor only between batches: its
  // `return()` answers the batch already delivered, so a batch asked for and not yet arrived must
  // be awaited first — else it arrives, waits forever for a go-ahead, and its connection is lost
  // to the pool for good.
  let inflight: Promise<IteratorResult<ListRow[]>> | undefined;
  // Set once for all: nothing more is fetched nor sent.
  let stopped = false;
  let stall: NodeJS.Timeout | undefined;
  let sent = 0;
  let header = true;

  const finish = (outcome: { complet: true } | { complet: false; interruption: Interruption }) =>
    finishExportAudit(deps.sql, auditId, { lignes: sent, ...outcome }).catch((err: unknown) =>
      deps.log.warn({ err, auditId }, 'export CSV : fin de l’audit non écrite'),
    );
  const stop = async (interruption: Interruption) => {
    if (stopped) return;
    stopped = true;
    clearTimeout(stall);
    if (inflight) await inflight.catch(() => undefined);
    await rows?.return?.();
    await finish({ complet: false, interruption });
  };
  const csv = (records: string[][]) => {
    const text = stringify(records, {
      delimiter: ';',
      bom: header,
      header,
      columns: CSV_COLUMNS,
      escape_formulas: true,
      record_delimiter: 'windows',
    });
    header = false;
    return encoder.encode(text);
  };

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      clearTimeout(stall);
      if (stopped) return;
      let next: IteratorResult<ListRow[]>;
      try {
        inflight = rows ? rows.next() : Promise.resolve({ done: true, value: undefined });
        next = await inflight;
      } catch (err) {
        if (stopped) return;
        // The query failed: the driver has ended it, there is no cursor left to close.
        stopped = true;
        await finish({ complet: false, interruption: 'erreur' });
        controller.error(err);
        return;
      } finally {
        inflight = undefined;
      }
      // The client left while the batch was on its way: `cancel` closes the cursor; nothing may
      // be enqueued on a cancelled stream.
      if (stopped) return;
      if (next.done) {
        stopped = true;
        if (header) controller.enqueue(csv([]));
        await finish({ complet: true });
        controller.close();
        return;
      }
      sent += next.value.length;
      controller.enqueue(csv(next.value.map((r) => csvRecord(item(r, now)))));
      // The queue is full until the client reads again: if it never does, give the connection back.
      stall = setTimeout(() => {
        deps.log.warn({ auditId, lignes: sent }, 'export CSV : client inactif, export interrompu');
        void stop('client inactif').then(() =>
          controller.error(new Error('export CSV interrompu : le client ne lit plus')),
        );
      }, deps.config.csvExportStallSeconds * 1000);
      // A stalled export must not keep a stopping node alive.
      stall.unref();
    },
    async cancel() {
      await stop('client parti');
    },
  });
  const day = (d: string) => d.replaceAll('-', '');
  return { filename: `rdv_${f.label}_${day(q.from)}-${day(q.to)}.csv`, body };
}
