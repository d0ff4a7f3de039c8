import { assertSelfCancellable, formatIsoWithOffset } from '../domain/index.ts';
import { isWellFormedLinkToken, verifyRdvLink } from '../domain/signed-link.ts';
import { findRdvDetails, type RdvDetails } from '../store/outbox.ts';
import { insertAudit } from '../store/rdvs.ts';
import { findRdvIdsByCode, lockRdvForUpdate, markRdvCancelled } from '../store/self-service.ts';
import { agendaRdvById } from './agenda.ts';
import { calendarAttachment } from './calendar-file.ts';
import type { Deps } from './deps.ts';
import { AppError } from './errors.ts';
import { queueCancellationNotice } from './rdv-notices.ts';

/**
 * What the holder of an email link may do without an account: see the rdv, download it for a
 * calendar, cancel it. The link's token (HMAC of id and code) is the only credential, so answers
 * carry nothing that the email did not already show.
 */

export type SelfServiceRdv = {
  code: string;
  start: string;
  end: string;
  type: 'physique' | 'telephone';
  status: 'confirme' | 'annule';
  /** Whether the link may cancel now: confirmed, not started, and allowed by the service. */
  cancellable: boolean;
  service: {
    name: string;
    street: string;
    postcode: string;
    city: string;
    phone: string | null;
    selfCancellation: boolean;
  };
  motif: { label: string };
  /** Time zone of the service: the times are shown in it (an overseas office is not in Paris time). */
  timeZone: string;
};

/** Same answer for an unknown code and a wrong token: the link reveals nothing about other rdvs. */
const invalidLink = () =>
  new AppError(
    'FORBIDDEN',
    'Ce lien n’est pas valide. Utilisez le lien reçu par courriel, sans le modifier, ou contactez le service.',
    {
      reason: 'INVALID_LINK',
    },
  );

/** Finds the rdv that the link was made for, or refuses. */
async function fromLink(
  deps: Pick<Deps, 'sql' | 'secrets'>,
  code: string,
  token: string,
): Promise<RdvDetails> {
  if (!isWellFormedLinkToken(token)) throw invalidLink();
  const ids = await findRdvIdsByCode(deps.sql, code);
  const id = ids.find((candidate) => verifyRdvLink(deps.secrets.signing, { id: candidate, code }, token));
  const rdv = id === undefined ? undefined : await findRdvDetails(deps.sql, id);
  if (!rdv) throw invalidLink();
  return rdv;
}

function isSelfCancellable(rdv: RdvDetails, now: number): boolean {
  try {
    assertSelfCancellable({ start: rdv.start, cancelled: rdv.status === 'annule' }, rdv.service, now);
    return true;
  } catch {
    return false;
  }
}

function view(rdv: RdvDetails, now: number): SelfServiceRdv {
  const tz = rdv.service.timeZone;
  const s = rdv.service;
  return {
    code: rdv.code,
    start: formatIsoWithOffset(rdv.start, tz),
    end: formatIsoWithOffset(rdv.end, tz),
    type: rdv.type,
    status: rdv.status,
    cancellable: isSelfCancellable(rdv, now),
    service: {
      name: s.name,
      street: s.street,
      postcode: s.postcode,
      city: s.city,
      phone: s.phone,
      selfCancellation: s.selfCancellation,
    },
    motif: { label: rdv.motif.label },
    timeZone: tz,
  };
}

export async function viewRdvByLink(deps: Deps, code: string, token: string): Promise<SelfServiceRdv> {
  return view(await fromLink(deps, code, token), deps.clock.now().getTime());
}

/** The rdv as an .ics file (a cancelled rdv gives a cancelling file, which removes the entry). */
export async function calendarByLink(
  deps: Deps,
  code: string,
  token: string,
): Promise<{ filename: string; content: string }> {
  const rdv = await fromLink(deps, code, token);
  const { filename, content } = calendarAttachment(rdv, { links: deps.links });
  return { filename, content };
}

/**
 * Cancels the rdv from the email link, in one transaction: status, audit, pending emails dropped
 * (the reminder never goes), a cancellation notice queued. After commit the slot is announced free
 * to usagers and agents. The checks are made again under the row lock: two clicks cancel once.
 */
export async function cancelRdvByLink(deps: Deps, code: string, token: string): Promise<SelfServiceRdv> {
  const rdv = await fromLink(deps, code, token);
  const now = deps.clock.now();
  await deps.sql.begin(async (tx) => {
    const current = await lockRdvForUpdate(tx, rdv.id);
    if (!current) throw invalidLink();
    assertSelfCancellable(
      { start: current.start, cancelled: current.status === 'annule' },
      { selfCancellation: current.selfCancellation, phone: rdv.service.phone },
      now.getTime(),
    );
    await markRdvCancelled(tx, rdv.id, now, 'usager');
    await insertAudit(tx, {
      actor: 'usager',
      action: 'rdv.annule',
      serviceId: rdv.service.id,
      rdvId: rdv.id,
      details: { origine: 'lien-courriel' },
    });
    await queueCancellationNotice(tx, { id: rdv.id, email: rdv.usager.email }, now);
  });
  const tz = rdv.service.timeZone;
  const slot = {
    serviceCode: rdv.service.code,
    start: formatIsoWithOffset(rdv.start, tz),
    end: formatIsoWithOffset(rdv.end, tz),
    type: rdv.type,
  };
  deps.events.slotFreed(slot);
  // The whole rdv, as agent events carry it (see booking.ts).
  const agendaRdv = await agendaRdvById(deps, rdv.id, tz).catch(() => undefined);
  deps.events.agent(rdv.service.code, 'rdv-updated', {
    ...slot,
    rdvId: rdv.id,
    code: rdv.code,
    guichetId: rdv.guichetId,
    canal: rdv.canal,
    status: 'annule',
    ...(agendaRdv ? { rdv: agendaRdv } : {}),
  });
  deps.log.info({ rdvId: rdv.id, serviceCode: rdv.service.code }, 'rendez-vous annulé par l’usager');
  return view({ ...rdv, status: 'annule', cancelReason: 'usager' }, now.getTime());
}
