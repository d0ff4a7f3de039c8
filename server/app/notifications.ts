import { createEvent, type EventAttributes } from 'ics';
import { type Mail, MailError } from '../infra/mailer.ts';
import {
  claimNextOutbox,
  findRdvDetails,
  listLocalMails,
  markOutboxAttemptFailed,
  markOutboxCancelled,
  markOutboxSent,
  type OutboxRow,
  type RdvDetails,
} from '../store/outbox.ts';
import type { Deps } from './deps.ts';
import { notFound } from './errors.ts';
import type { Links, RdvLinks } from './links.ts';

/**
 * Emails to usagers: their content (French, plain text + simple accessible HTML, .ics attached) and
 * the outbox worker that sends them. Rows are written by the use cases in their own transaction
 * (booking, cancellation); the worker only reads the rdv as it is when the email goes out, so a
 * reminder always tells the current date and is dropped when the rdv was cancelled.
 */

export type NotificationDeps = Pick<Deps, 'sql' | 'clock' | 'log' | 'config' | 'mailer' | 'links'>;

// A row is leased when its own send begins, for far longer than one send can take (transports
// time out after 30 s): another node never claims a row whose send is still in progress, and a
// crashed node's row comes back after it. Leasing a batch up front would let the last rows' lease
// run out while they wait behind a slow relay.
const LEASE_MS = 5 * 60_000;
// Bounds one run, so that a huge backlog cannot keep a node busy forever between two polls.
const MAX_PER_RUN = 500;
/** After this many failed attempts the row is marked failed and left for an operator. */
export const MAX_ATTEMPTS = 12;
const FIRST_RETRY_MS = 60_000;
const MAX_RETRY_MS = 2 * 3_600_000;

/** 1 min, 2 min, 4 min… capped at 2 h: about 13 hours of retries before giving up. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

/** Transport errors may quote the recipient ("550 <x@y>: unknown"): logs and the table get none. */
export function maskEmails(text: string): string {
  return text.replace(/[^\s<>"'(),;:@]+@[^\s<>"'(),;:@]+/g, '[adresse masquée]');
}

// ---------------------------------------------------------------------------------------------
// French dates

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('fr-FR', {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** "mercredi 14 septembre 2016 à 10:20" in the service's zone; "1er" as French writes it. */
export function formatDateTimeFr(ms: number, timeZone: string): string {
  const p = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  const day = p.day === '1' ? '1er' : p.day;
  return `${p.weekday} ${day} ${p.month} ${p.year} à ${p.hour}:${p.minute}`;
}

/** The date in words, with "(heure locale)" for services outside metropolitan France's zone. */
function when(ms: number, timeZone: string): string {
  const s = formatDateTimeFr(ms, timeZone);
  return timeZone === 'Europe/Paris' ? s : `${s} (heure locale)`;
}

export function formatDuration(minutes: number): string {
  if (minutes < 60) return `${minutes} minutes`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${String(m).padStart(2, '0')}` : `${h} heure${h > 1 ? 's' : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Content: one list of blocks rendered twice, so that text and HTML never say different things.

type Block =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'p'; text: string }
  | { kind: 'facts'; items: [label: string, value: string][] }
  | { kind: 'link'; before: string; label: string; url: string }
  | { kind: 'small'; text: string };

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const htmlLines = (s: string) => escapeHtml(s).replace(/\r?\n/g, '<br>');

function renderText(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'title') out.push(b.text, '='.repeat(Math.min(b.text.length, 70)));
    else if (b.kind === 'heading') out.push(b.text, '-'.repeat(Math.min(b.text.length, 70)));
    else if (b.kind === 'p' || b.kind === 'small') out.push(b.text);
    else if (b.kind === 'facts') out.push(b.items.map(([k, v]) => `${k} : ${v}`).join('\n'));
    else out.push(`${b.before}\n${b.label} : ${b.url}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function renderHtml(subject: string, blocks: Block[]): string {
  const body = blocks
    .map((b) => {
      switch (b.kind) {
        case 'title':
          return `<h1 style="font-size:1.5em;margin:0 0 1em">${escapeHtml(b.text)}</h1>`;
        case 'heading':
          return `<h2 style="font-size:1.2em;margin:1.5em 0 0.5em">${escapeHtml(b.text)}</h2>`;
        case 'p':
          return `<p>${htmlLines(b.text)}</p>`;
        case 'small':
          return `<p style="font-size:0.9em;color:#3a3a3a">${htmlLines(b.text)}</p>`;
        case 'facts':
          return `<ul style="padding-left:1.2em">${b.items
            .map(([k, v]) => `<li><strong>${escapeHtml(k)} :</strong> ${htmlLines(v)}</li>`)
            .join('')}</ul>`;
        case 'link':
          return `<p>${htmlLines(b.before)}<br><a href="${escapeHtml(b.url)}" style="color:#000091">${escapeHtml(b.label)}</a></p>`;
      }
      return '';
    })
    .join('\n');
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:16px;background:#ffffff;color:#161616;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5">
<main style="max-width:600px;margin:0 auto">
${body}
</main>
</body>
</html>
`;
}

const civility = (c: 'M' | 'MME') => (c === 'MME' ? 'Madame' : 'Monsieur');

function greeting(rdv: RdvDetails): Block {
  const u = rdv.usager;
  return {
    kind: 'p',
    text: `Bonjour ${civility(u.civilite)} ${u.nomUsage}${u.raisonSociale ? ` (${u.raisonSociale})` : ''},`,
  };
}

const address = (s: RdvDetails['service']) =>
  [s.street, `${s.postcode} ${s.city}`.trim()].filter(Boolean).join(', ');

function motifLabel(rdv: RdvDetails): string {
  return rdv.motif.parentLabel ? `${rdv.motif.parentLabel} — ${rdv.motif.label}` : rdv.motif.label;
}

function facts(rdv: RdvDetails): Block {
  const items: [string, string][] = [
    ['Code du rendez-vous', rdv.code],
    ['Date', when(rdv.start, rdv.service.timeZone)],
    ['Durée', formatDuration(Math.round((rdv.end - rdv.start) / 60_000))],
    ['Service', rdv.service.name],
    ['Motif', motifLabel(rdv)],
  ];
  if (rdv.type === 'physique') items.push(['Rendez-vous', 'au guichet'], ['Adresse', address(rdv.service)]);
  else
    items.push([
      'Rendez-vous',
      'par téléphone : vous serez rappelé au numéro indiqué lors de la prise de rendez-vous',
    ]);
  return { kind: 'facts', items };
}

function documents(rdv: RdvDetails): Block[] {
  const heading =
    rdv.type === 'physique' ? 'Documents à apporter' : 'Documents à avoir sous la main pendant l’appel';
  const text = rdv.motif.documents.trim() || 'Aucun document particulier n’est demandé pour ce motif.';
  return [
    { kind: 'heading', text: heading },
    { kind: 'p', text },
  ];
}

/** "<lead> le service par téléphone au … ou par courriel à …", or '' when it has neither. */
function serviceContact(rdv: RdvDetails, lead: string): string {
  const s = rdv.service;
  const ways = [s.phone && `par téléphone au ${s.phone}`, s.email && `par courriel à ${s.email}`].filter(
    Boolean,
  );
  return ways.length ? `${lead} le service ${ways.join(' ou ')}.` : '';
}

function ifPrevented(rdv: RdvDetails, links: RdvLinks): Block[] {
  const blocks: Block[] = [{ kind: 'heading', text: 'En cas d’empêchement' }];
  const why =
    'Si vous ne pouvez pas honorer ce rendez-vous, annulez-le : le créneau sera proposé à une autre personne.';
  if (rdv.service.selfCancellation) {
    blocks.push({ kind: 'link', before: why, label: 'Annuler le rendez-vous', url: links.cancel });
    const contact = serviceContact(rdv, 'Vous pouvez aussi joindre');
    if (contact) blocks.push({ kind: 'p', text: contact });
  } else {
    blocks.push({
      kind: 'p',
      text: `${why} ${serviceContact(rdv, 'Prévenez') || 'Prévenez le service.'}`.trim(),
    });
  }
  return blocks;
}

function personalData(rdv: RdvDetails): Block[] {
  return [
    { kind: 'heading', text: 'Vos données personnelles' },
    {
      kind: 'p',
      text:
        `Les informations que vous avez données (identité, coordonnées, objet de votre demande) sont utilisées par le service ` +
        `${rdv.service.name} uniquement pour organiser ce rendez-vous et vous recontacter à son sujet ; elles ne sont transmises à aucun tiers. ` +
        'Conformément au règlement général sur la protection des données (RGPD) et à la loi « Informatique et libertés », ' +
        'vous pouvez y accéder, les faire rectifier ou effacer en vous adressant à ce service.',
    },
  ];
}

const automatic: Block = {
  kind: 'small',
  text: 'Ce courriel est envoyé automatiquement : merci de ne pas y répondre.',
};

export type RenderedMail = Omit<Mail, 'to' | 'idempotencyKey'>;

export type RenderContext = { links: Links };

function compose(subject: string, blocks: Block[], attachments?: Mail['attachments']): RenderedMail {
  return {
    subject,
    text: renderText(blocks),
    html: renderHtml(subject, blocks),
    ...(attachments ? { attachments } : {}),
  };
}

const linksOf = (rdv: RdvDetails, ctx: RenderContext): RdvLinks =>
  ctx.links.rdv({ id: rdv.id, code: rdv.code, serviceCode: rdv.service.code });

function readInstant(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return Date.parse(v);
  return null;
}

/**
 * The email of one outbox row, or undefined for a kind this version does not know.
 * `payload.previousStart` (ISO instant) gives the former date of a `replanification`.
 */
export function renderMail(
  kind: string,
  rdv: RdvDetails,
  payload: Record<string, unknown>,
  ctx: RenderContext,
): RenderedMail | undefined {
  const links = linksOf(rdv, ctx);
  const tz = rdv.service.timeZone;
  const date = formatDateTimeFr(rdv.start, tz);
  const calendar = () => [calendarAttachment(rdv, ctx)];
  switch (kind) {
    case 'confirmation':
      return compose(
        `Rendez-vous confirmé le ${date} — code ${rdv.code}`,
        [
          { kind: 'title', text: 'Votre rendez-vous est confirmé' },
          greeting(rdv),
          {
            kind: 'p',
            text: `Votre rendez-vous a bien été enregistré. Notez son code : ${rdv.code}. Il vous sera demandé.`,
          },
          facts(rdv),
          ...documents(rdv),
          ...ifPrevented(rdv, links),
          { kind: 'heading', text: 'Ajouter à votre agenda' },
          {
            kind: 'p',
            text: `Le fichier joint « rendez-vous-${rdv.code}.ics » ajoute ce rendez-vous à votre agenda.`,
          },
          ...personalData(rdv),
          automatic,
        ],
        calendar(),
      );
    case 'rappel':
      return compose(`Rappel : rendez-vous le ${date} — code ${rdv.code}`, [
        { kind: 'title', text: 'Rappel de votre rendez-vous' },
        greeting(rdv),
        { kind: 'p', text: `Nous vous rappelons votre rendez-vous du ${when(rdv.start, tz)}.` },
        facts(rdv),
        ...documents(rdv),
        ...ifPrevented(rdv, links),
        ...personalData(rdv),
        automatic,
      ]);
    case 'annulation': {
      const byUsager = rdv.cancelReason === 'usager';
      return compose(
        `Rendez-vous annulé : ${date} — code ${rdv.code}`,
        [
          { kind: 'title', text: 'Votre rendez-vous est annulé' },
          greeting(rdv),
          {
            kind: 'p',
            text: `Votre rendez-vous du ${when(rdv.start, tz)} (code ${rdv.code}) avec le service ${rdv.service.name} a été annulé ${
              byUsager ? 'à votre demande' : 'par le service'
            }.`,
          },
          ...(byUsager
            ? []
            : [
                {
                  kind: 'p' as const,
                  text:
                    serviceContact(rdv, 'Pour en savoir plus, joignez') ||
                    'Le service pourra vous donner plus d’informations.',
                },
              ]),
          {
            kind: 'link',
            before: 'Si besoin, vous pouvez prendre un nouveau rendez-vous en ligne.',
            label: 'Prendre un nouveau rendez-vous',
            url: links.newRdv,
          },
          {
            kind: 'p',
            text: `Le fichier joint « rendez-vous-${rdv.code}.ics » retire ce rendez-vous de votre agenda.`,
          },
          ...personalData(rdv),
          automatic,
        ],
        calendar(),
      );
    }
    case 'replanification': {
      const previous = readInstant(payload.previousStart);
      return compose(
        `Rendez-vous déplacé au ${date} — code ${rdv.code}`,
        [
          { kind: 'title', text: 'Votre rendez-vous a été déplacé' },
          greeting(rdv),
          {
            kind: 'p',
            text: previous
              ? `Votre rendez-vous du ${when(previous, tz)} a été déplacé par le service au ${when(rdv.start, tz)}.`
              : `Votre rendez-vous a été déplacé par le service au ${when(rdv.start, tz)}.`,
          },
          facts(rdv),
          ...documents(rdv),
          ...ifPrevented(rdv, links),
          { kind: 'p', text: `Le fichier joint « rendez-vous-${rdv.code}.ics » met votre agenda à jour.` },
          ...personalData(rdv),
          automatic,
        ],
        calendar(),
      );
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Calendar file

/**
 * The rdv as an iCalendar event. UID is stable per rdv so that a later file (moved, cancelled)
 * updates the same agenda entry; SEQUENCE grows with each change of the rdv; times are in UTC.
 * Nothing about the usager is in it.
 */
export function calendarAttachment(
  rdv: RdvDetails,
  ctx: RenderContext,
): { filename: string; content: string; contentType: string } {
  const links = linksOf(rdv, ctx);
  const cancelled = rdv.status === 'annule';
  const host = new URL(ctx.links.base).hostname;
  // Seconds between creation and the last change: grows at each change without a counter column.
  const changes = Math.max(0, Math.floor((rdv.updatedAt.getTime() - rdv.createdAt.getTime()) / 1000));
  const description = [
    `Code du rendez-vous : ${rdv.code}`,
    `Motif : ${motifLabel(rdv)}`,
    rdv.type === 'physique'
      ? `Au guichet : ${address(rdv.service)}`
      : 'Par téléphone : vous serez rappelé au numéro indiqué.',
    rdv.motif.documents.trim() && `Documents : ${rdv.motif.documents.trim()}`,
    !cancelled && rdv.service.selfCancellation && `Annuler : ${links.cancel}`,
  ]
    .filter(Boolean)
    .join('\n');
  const event: EventAttributes = {
    uid: `rdv-${rdv.id}@${host}`,
    productId: 'guichet/rendez-vous',
    method: cancelled ? 'CANCEL' : 'PUBLISH',
    status: cancelled ? 'CANCELLED' : 'CONFIRMED',
    sequence: cancelled ? Math.max(1, changes) : changes,
    start: rdv.start,
    startInputType: 'utc',
    startOutputType: 'utc',
    end: rdv.end,
    endInputType: 'utc',
    endOutputType: 'utc',
    title: `Rendez-vous ${rdv.type === 'physique' ? 'au guichet' : 'téléphonique'} — ${rdv.service.name}`,
    description,
    location: rdv.type === 'physique' ? address(rdv.service) : 'Par téléphone',
  };
  const { error, value } = createEvent(event);
  if (error || !value) throw error ?? new Error('fichier iCalendar vide');
  return {
    filename: `rendez-vous-${rdv.code}.ics`,
    content: value,
    contentType: 'text/calendar; charset=utf-8',
  };
}

// ---------------------------------------------------------------------------------------------
// The worker

type Outcome = 'sent' | 'skipped' | 'retry' | 'failed';

/** Why a due row must not be sent any more, if so. */
function obsolete(row: OutboxRow, rdv: RdvDetails, now: number): string | undefined {
  if (rdv.status === 'annule' && row.kind !== 'annulation') return 'rendez-vous annulé';
  if (row.kind === 'rappel' && rdv.start <= now) return 'rendez-vous déjà commencé';
  // After a long outage, news of an rdv that is over helps nobody.
  if (row.kind !== 'annulation' && rdv.end <= now) return 'rendez-vous passé';
  if (!rdv.usager.email) return 'pas d’adresse électronique';
  return undefined;
}

async function deliver(deps: NotificationDeps, row: OutboxRow): Promise<Outcome> {
  const now = deps.clock.now();
  const ref = { outboxId: row.id, kind: row.kind, rdvId: row.rdvId };
  const rdv = row.rdvId === null ? undefined : await findRdvDetails(deps.sql, row.rdvId);
  const skip = rdv ? obsolete(row, rdv, now.getTime()) : 'rendez-vous introuvable';
  if (skip || !rdv) {
    await markOutboxCancelled(deps.sql, row.id, now, skip ?? 'rendez-vous introuvable');
    deps.log.info({ ...ref, reason: skip }, 'courriel abandonné : plus d’objet');
    return 'skipped';
  }
  let messageId: string;
  try {
    const mail = renderMail(row.kind, rdv, row.payload, { links: deps.links });
    if (!mail) throw new MailError(`type de courriel inconnu : ${row.kind}`, true);
    ({ id: messageId } = await deps.mailer.send({
      ...mail,
      to: rdv.usager.email!,
      idempotencyKey: row.idempotencyKey,
    }));
  } catch (err) {
    return failed(
      deps,
      row,
      ref,
      now,
      err instanceof MailError ? err : new MailError((err as Error).message),
    );
  }
  // A database failure from here on is not a failed send: the lease runs out and the row goes
  // again, with the same idempotency key.
  await markOutboxSent(deps.sql, row.id, deps.clock.now());
  deps.log.info({ ...ref, transport: deps.mailer.transport, messageId }, 'courriel envoyé');
  return 'sent';
}

async function failed(
  deps: NotificationDeps,
  row: OutboxRow,
  ref: Record<string, unknown>,
  now: Date,
  error: MailError,
): Promise<Outcome> {
  const attempts = row.attempts + 1;
  const message = maskEmails(error.message).slice(0, 1000);
  const giveUp = error.permanent || attempts >= MAX_ATTEMPTS;
  const retryAt = giveUp ? null : new Date(now.getTime() + retryDelayMs(attempts));
  await markOutboxAttemptFailed(deps.sql, row.id, {
    attempts,
    error: message,
    retryAt,
    failedAt: giveUp ? now : null,
  });
  if (giveUp) deps.log.error({ ...ref, attempts, error: message }, 'courriel abandonné après échec');
  else
    deps.log.warn(
      { ...ref, attempts, error: message, retryAt: retryAt!.toISOString() },
      'envoi de courriel en échec, nouvel essai prévu',
    );
  return giveUp ? 'failed' : 'retry';
}

/**
 * Sends the due emails (run_at ≤ now, by the injected clock) once; returns how many went out.
 * Safe on every node at once: each row is leased by one node (SKIP LOCKED), marked sent only if
 * still unsent, and the transport gets the row's idempotency key, so an rdv gets each kind once.
 */
export async function runOutbox(deps: NotificationDeps): Promise<number> {
  let sent = 0;
  let handled = 0;
  while (handled < MAX_PER_RUN) {
    const now = deps.clock.now();
    const row = await claimNextOutbox(deps.sql, now, new Date(now.getTime() + LEASE_MS));
    if (!row) break;
    handled++;
    try {
      if ((await deliver(deps, row)) === 'sent') sent++;
    } catch (err) {
      // The database failed mid-way: the lease runs out and the row is claimed again later.
      deps.log.error(
        { outboxId: row.id, kind: row.kind, err: maskEmails((err as Error).message) },
        'file des courriels : erreur inattendue',
      );
    }
  }
  return sent;
}

/** Polls the outbox every `intervalMs` on this node; one run at a time. */
export function startOutboxWorker(deps: NotificationDeps, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = runOutbox(deps)
      .catch((err) =>
        deps.log.warn({ err: maskEmails((err as Error).message) }, 'file des courriels en échec'),
      )
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The demo's mailbox

export type DevMail = { id: number; to: string; subject: string; text: string; html: string; sentAt: string };

/** What the local transport kept, newest first: demo mode only, since it shows personal data. */
export async function listDevMails(
  deps: Pick<Deps, 'sql' | 'config'>,
  limit = 100,
): Promise<{ mails: DevMail[] }> {
  if (!deps.config.demo) throw notFound('Aucune ressource à cette adresse.');
  const mails = await listLocalMails(deps.sql, limit);
  return { mails: mails.map((m) => ({ ...m, sentAt: m.sentAt.toISOString() })) };
}
