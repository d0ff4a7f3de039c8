import type { Mail } from '../infra/mailer.ts';
import type { RdvDetails } from '../store/outbox.ts';
import { calendarAttachment } from './calendar-file.ts';
import type { RdvLinks } from './links.ts';
import { address, linksOf, motifLabel, type RenderContext } from './rdv-wording.ts';

/**
 * What the emails to usagers say: French, plain text and simple accessible HTML from one list of
 * blocks, the .ics attached where the agenda changes. The outbox worker (outbox-worker.ts) renders
 * each email from the rdv as it is when the email goes out, so a reminder tells the current date.
 */

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

function compose(subject: string, blocks: Block[], attachments?: Mail['attachments']): RenderedMail {
  return {
    subject,
    text: renderText(blocks),
    html: renderHtml(subject, blocks),
    ...(attachments ? { attachments } : {}),
  };
}

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
