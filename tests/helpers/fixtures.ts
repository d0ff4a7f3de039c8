import type { Sql } from '../../server/infra/db.ts';

export type GuichetFixture = {
  name: string;
  open?: boolean;
  physique?: boolean;
  telephone?: boolean;
  internet?: boolean;
  agentExterieur?: boolean;
  agentService?: boolean;
  /** [weekday, 'HH:MM', 'HH:MM'] */
  plages: [number, string, string][];
};

export type ServiceFixture = {
  serviceId: number;
  code: string;
  guichetIds: number[];
  motifId: number;
  otherMotifId: number;
};

const WEEKDAYS_MORNING: [number, string, string][] = [1, 2, 3, 4, 5].map((d) => [d, '08:30', '12:00']);

/** A service of its own for a test file: unique code, active, all SIP motifs on every guichet. */
export async function createService(
  sql: Sql,
  options: {
    code: string;
    guichets?: GuichetFixture[];
    durationMinutes?: number;
    holidayCalendar?: string;
    timeZone?: string;
  },
): Promise<ServiceFixture> {
  const guichets = options.guichets ?? [
    { name: 'Guichet principal', telephone: true, plages: WEEKDAYS_MORNING },
  ];
  const [service] = await sql<{ id: number }[]>`
    insert into services (code_principal, kind, name, street, postcode, city, active, rdv_duration_minutes, holiday_calendar, time_zone)
    values (${options.code}, 'SIP', ${`SERVICE DE TEST ${options.code}`}, '1 rue du Test', '58000', 'NEVERS', true,
            ${options.durationMinutes ?? 20}, ${options.holidayCalendar ?? 'metropole'}, ${options.timeZone ?? 'Europe/Paris'})
    returning id`;
  const serviceId = service!.id;
  const motifs = await sql<{ id: number; parentId: number | null }[]>`
    select id, parent_id from motifs where service_kind = 'SIP' order by position, id`;
  const guichetIds: number[] = [];
  for (const [i, g] of guichets.entries()) {
    const [row] = await sql<{ id: number }[]>`
      insert into guichets (service_id, name, open, allows_physique, allows_telephone, bookable_internet,
                            bookable_agent_exterieur, bookable_agent_service, position)
      values (${serviceId}, ${g.name}, ${g.open ?? true}, ${g.physique ?? true}, ${g.telephone ?? false},
              ${g.internet ?? true}, ${g.agentExterieur ?? true}, ${g.agentService ?? true}, ${i})
      returning id`;
    const guichetId = row!.id;
    guichetIds.push(guichetId);
    for (const [weekday, start, end] of g.plages) {
      await sql`insert into plages (guichet_id, weekday, start_time, end_time) values (${guichetId}, ${weekday}, ${start}, ${end})`;
    }
    await sql`insert into guichet_motifs (guichet_id, motif_id) select ${guichetId}, id from motifs where service_kind = 'SIP'`;
  }
  const leaves = motifs.filter((m) => m.parentId !== null);
  return { serviceId, code: options.code, guichetIds, motifId: leaves[0]!.id, otherMotifId: leaves[1]!.id };
}

/** A valid usager for the booking form. */
export function usager(n = 0, overrides: Record<string, unknown> = {}) {
  return {
    type: 'particulier',
    civilite: n % 2 ? 'M' : 'MME',
    nomUsage: `TESTEUR${n}`,
    prenoms: 'Camille',
    telephones: ['06 12 34 56 78'],
    email: `camille.${n}@example.org`,
    numeroFiscal: String(1_000_000_000_000 + n),
    ...overrides,
  };
}

/**
 * The owner cookie a hold's answer set (`name=value`): only that browser may release the hold or
 * book with it.
 */
export const ownerOf = (res: Response) => res.headers.get('set-cookie')?.split(';')[0] ?? '';
