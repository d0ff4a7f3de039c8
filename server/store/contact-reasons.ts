import type { Audience, ContactServiceKind, Faq, OnlineProcedure } from '../domain/contact-reasons.ts';
import type { Db } from '../infra/db.ts';
import type { ServiceRow } from './services.ts';

/** One reason of the cascade as stored; leaves alone have `serviceKinds` (and FAQ, procedure). */
export interface ContactReasonRow {
  code: string;
  audience: Audience;
  parentCode: string | null;
  label: string;
  position: number;
  faq: Faq[] | null;
  onlineProcedure: OnlineProcedure | null;
  serviceKinds: ContactServiceKind[] | null;
  motifCode: string | null;
  abroad: boolean;
}

/**
 * Replaces the contact cascade by `rows` (parents before children). Upsert by code, then removal
 * of the codes that left: nothing references a reason, and pages link to them by code.
 */
export async function loadContactReasons(tx: Db, rows: readonly ContactReasonRow[]): Promise<void> {
  const codes = rows.map((r) => r.code);
  await tx`delete from contact_reasons where not (code = any(${codes}::text[]))`;
  // Booleans go as text: postgres.js would send a boolean array as one boolean.
  // One statement: foreign keys are checked at its end, when every parent is there.
  await tx`
    insert into contact_reasons (code, audience, parent_code, label, position, faq, online_procedure,
                                 service_kinds, motif_code, abroad)
    select t.code, t.audience, t.parent, t.label, t.pos, t.faq::jsonb, t.proc::jsonb,
           string_to_array(t.kinds, ','), t.motif, t.abroad::boolean
    from unnest(
      ${codes}::text[], ${rows.map((r) => r.audience)}::text[], ${rows.map((r) => r.parentCode)}::text[],
      ${rows.map((r) => r.label)}::text[], ${rows.map((r) => r.position)}::int[],
      ${rows.map((r) => (r.faq ? JSON.stringify(r.faq) : null))}::text[],
      ${rows.map((r) => (r.onlineProcedure ? JSON.stringify(r.onlineProcedure) : null))}::text[],
      ${rows.map((r) => (r.serviceKinds ? r.serviceKinds.join(',') : null))}::text[],
      ${rows.map((r) => r.motifCode)}::text[], ${rows.map((r) => String(r.abroad))}::text[]
    ) as t(code, audience, parent, label, pos, faq, proc, kinds, motif, abroad)
    on conflict (code) do update set
      audience = excluded.audience, parent_code = excluded.parent_code, label = excluded.label,
      position = excluded.position, faq = excluded.faq, online_procedure = excluded.online_procedure,
      service_kinds = excluded.service_kinds, motif_code = excluded.motif_code, abroad = excluded.abroad`;
}

/** Every reason of an audience, parents before children, siblings in order. */
export async function listContactReasons(db: Db, audience: Audience): Promise<ContactReasonRow[]> {
  return db<ContactReasonRow[]>`
    with recursive tree as (
      select r.*, array[r.position] as path from contact_reasons r
      where r.audience = ${audience} and r.parent_code is null
      union all
      select c.*, t.path || c.position from contact_reasons c join tree t on c.parent_code = t.code
    )
    select code, audience, parent_code, label, position, faq, online_procedure, service_kinds,
           motif_code, abroad
    from tree order by path`;
}

/**
 * The office of a national kind (DGE, DRESG): there is one, found without an address.
 * Kept here rather than in services.ts because only the contact journey needs it so far.
 */
export async function findNationalService(db: Db, kind: 'DGE' | 'DRESG'): Promise<ServiceRow | undefined> {
  const [row] = await db<ServiceRow[]>`
    select id, code_principal, code_associe, kind, name, street, postcode, city, phone, email, hours,
           time_zone, holiday_calendar, rdv_duration_minutes, active, self_cancellation
    from services where kind = ${kind} order by code_principal limit 1`;
  return row;
}
