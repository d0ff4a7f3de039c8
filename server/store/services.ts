import type { Db } from '../infra/db.ts';

export type ServiceRow = {
  id: number;
  codePrincipal: string;
  codeAssocie: string | null;
  kind: string;
  name: string;
  street: string;
  postcode: string;
  city: string;
  phone: string | null;
  email: string | null;
  hours: string | null;
  timeZone: string;
  holidayCalendar: string;
  rdvDurationMinutes: number;
  active: boolean;
  selfCancellation: boolean;
};

export async function findServiceByCode(db: Db, codePrincipal: string): Promise<ServiceRow | undefined> {
  const [row] = await db<ServiceRow[]>`
    select id, code_principal, code_associe, kind, name, street, postcode, city, phone, email, hours,
           time_zone, holiday_calendar, rdv_duration_minutes, active, self_cancellation
    from services where code_principal = ${codePrincipal}`;
  return row;
}

const BOOKABLE_COLUMN = {
  internet: 'bookable_internet',
  agentExterieur: 'bookable_agent_exterieur',
  agentService: 'bookable_agent_service',
} as const;

/** What the open guichets of a service bookable through `canal` offer: types and motifs. */
export async function findOnlineOffer(
  db: Db,
  serviceId: number,
  canal: keyof typeof BOOKABLE_COLUMN = 'internet',
): Promise<{
  physique: boolean;
  telephone: boolean;
  motifs: { id: number; code: string; parentId: number | null; label: string; position: number }[];
}> {
  const [types] = await db<{ physique: boolean | null; telephone: boolean | null }[]>`
    select bool_or(allows_physique) as physique, bool_or(allows_telephone) as telephone
    from guichets where service_id = ${serviceId} and open and ${db(BOOKABLE_COLUMN[canal])}`;
  const motifs = await db<
    { id: number; code: string; parentId: number | null; label: string; position: number }[]
  >`
    select distinct m.id, m.code, m.parent_id, m.label, m.position
    from guichets g
    join guichet_motifs gm on gm.guichet_id = g.id
    join motifs m on m.id = gm.motif_id and m.active
    where g.service_id = ${serviceId} and g.open and ${db(`g.${BOOKABLE_COLUMN[canal]}`)}
    order by m.position, m.id`;
  return { physique: types?.physique ?? false, telephone: types?.telephone ?? false, motifs };
}
