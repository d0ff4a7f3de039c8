/**
 * Readable names for the shapes of the Guichet API. Every one is an alias of the types generated
 * from the server's OpenAPI document (schema.d.ts, `npm run openapi`): nothing here is written by
 * hand, so a field the server adds, drops or makes nullable shows up in the pages at `npm run check`.
 */
import type { components } from './schema.d.ts';

type Schemas = components['schemas'];

/** An RFC 9457 error body (application/problem+json); `title` and `detail` are in French. */
export type Problem = Schemas['Problem'];

/** GET /api/v1/services/:code — the public card of a service. */
export type ServiceCard = Schemas['ServiceCard'];
/** How an appointment takes place: at the counter or by phone. */
export type RdvType = ServiceCard['types'][number];
export type Motif = ServiceCard['motifs'][number];

/** GET /api/v1/contact-reasons?audience= */
export type ContactReasons = Schemas['ContactReasons'];
/** One node of the cascade; leaves carry the FAQ, the online procedure and the kinds of office. */
export type ContactReason = Schemas['ContactReason'];
export type Audience = ContactReasons['audience'];

/** GET /api/v1/services?street=&postcode=&city=&kind= */
export type ServiceSearch = Schemas['ServiceSearch'];
/** One office found for an address (or a national one): its card, and why it answers. */
export type CompetentService = Schemas['CompetentService'];
/** What the contact box of an office shows: any card will do. */
export type ServiceSummary = Omit<ServiceCard, 'durationMinutes' | 'types' | 'motifs'>;

/** GET /api/v1/services/:code/slots */
export type Slots = Schemas['Slots'];
export type SlotDay = Slots['days'][number];
export type Slot = SlotDay['slots'][number];

/** POST /api/v1/holds */
export type HoldRequest = Schemas['HoldRequest'];
export type Hold = Schemas['Hold'];

/** POST /api/v1/rdvs */
export type RdvRequest = Schemas['RdvRequest'];
export type UsagerInput = Schemas['Usager'];
/** The confirmed appointment; its times are local to `timeZone`, `calendarUrl` is the server's .ics. */
export type Rdv = Schemas['Rdv'];

/** GET /api/v1/rdvs/self-service */
export type SelfServiceRdv = Schemas['SelfServiceRdv'];

/** GET /api/dev/mails (demo only) */
export type DevMail = Schemas['DevMail'];

/** POST /api/v1/auth/login, GET /api/v1/auth/me */
export type LoginRequest = Schemas['LoginRequest'];
export type AgentMe = Schemas['AgentMe'];

/** GET /api/v1/agent/services — "Tableau de bord des services" */
export type Dashboard = Schemas['TableauDeBord'];
export type DashboardService = Dashboard['services'][number];
export type AgentAction = DashboardService['actions'][number];

/** GET /api/v1/agent/services/:code/agenda */
export type Agenda = Schemas['Agenda'];
export type AgendaGuichet = Agenda['guichets'][number];
export type AgendaHold = Agenda['holds'][number];
export type AgendaMotif = Agenda['motifs'][number];
/** One rdv as the agenda draws it (also what agent events carry). */
export type AgendaRdv = Schemas['AgendaRdv'];
export type UsagerVu = Schemas['UsagerVu'];

/** POST /api/v1/agent/services/:code/rdvs */
export type RdvAgentRequest = Schemas['RdvAgentRequest'];
/** A warning an agent may acknowledge ("Enregistrer quand même"). */
export type Warning = NonNullable<Schemas['ProblemeAvecAvertissements']['warnings']>[number];

/** GET /api/v1/agent/rdvs/:id */
export type FicheRdv = Schemas['FicheRdv'];
export type ContreAppelRequest = Schemas['ContreAppelRequest'];
export type ReplanRequest = Schemas['ReplanRequest'];
