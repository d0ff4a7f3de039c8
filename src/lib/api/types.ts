/**
 * Shapes of the answers of the Guichet API (/api/v1). They mirror the OpenAPI schemas of
 * server/http; pages and components use these types, never the raw JSON.
 */

/** An RFC 9457 error body (application/problem+json); `title` and `detail` are in French. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** A stable machine code, e.g. `SERVICE_NOT_FOUND`, `SLOT_TAKEN`. */
  code: string;
  instance?: string;
  errors?: { field: string; message: string }[];
};

/** How an appointment takes place: at the counter or by phone. */
export type RdvType = 'physique' | 'telephone';

export type Motif = {
  id: number;
  /** Stable code of the national referential (e.g. SIP-IR), when the API gives it. */
  code?: string;
  label: string;
  children: { id: number; label: string }[];
};

/** GET /api/v1/services/:code — the public card of a service. */
export type ServiceCard = {
  /** Code principal (SAGES), 7 digits. */
  code: string;
  /** Code associé (CODIQUE), 6 digits. */
  codeAssocie: string | null;
  name: string;
  /** Kind of office, e.g. SIP, SIE, CDIF. */
  kind: string;
  address: { street: string; postcode: string; city: string };
  phone: string | null;
  email: string | null;
  /** Opening hours as free text written by the service. */
  hours: string | null;
  bookableOnline: boolean;
  durationMinutes: number;
  types: RdvType[];
  motifs: Motif[];
};

/** One node of the contact-reasons cascade; leaves carry the FAQ, the online procedure and the kinds of office. */
export type ContactReason = {
  id: string | number;
  label: string;
  children: ContactReason[];
  faq?: { question: string; answer?: string; url?: string }[];
  onlineProcedure?: { label: string; url: string } | null;
  /** Kinds of office competent for this reason, e.g. ['SIP'] or ['SIP', 'CDIF']. */
  serviceKinds?: string[];
  /** The motif of rdv to preselect in the booking wizard. */
  motifCode?: string | null;
  /** The reason concerns people living abroad: the DRESG is competent. */
  abroad?: boolean;
};

export type Audience = 'particulier' | 'professionnel';

/** GET /api/v1/contact-reasons?audience= */
export type ContactReasons = {
  audience: Audience;
  /** The question of each level: "Votre demande concerne", "Au sujet de", "Plus précisément". */
  levels: string[];
  reasons: ContactReason[];
};

/** One office in the answer of the search by address. */
export type ServiceSummary = Omit<ServiceCard, 'durationMinutes' | 'types' | 'motifs'>;

/** GET /api/v1/services?street=&postcode=&city=&kind= */
export type ServiceSearch = { services: ServiceSummary[]; message?: string };

export type Slot = { start: string; end: string };
export type SlotDay = { date: string; slots: Slot[] };
/** GET /api/v1/services/:code/slots */
export type Slots = { days: SlotDay[] };

/** POST /api/v1/holds */
export type Hold = { holdId: string; start: string; end: string; expiresAt: string };

export type UsagerInput = {
  type: Audience;
  civilite: 'M' | 'MME';
  nomUsage: string;
  nomNaissance?: string;
  prenoms: string;
  dateNaissance?: string;
  numeroFiscal?: string;
  siren?: string;
  raisonSociale?: string;
  telephones: string[];
  rappel?: ('matin' | 'apres-midi')[];
  email?: string;
};

export type RdvRequest = { holdId: string; usager: UsagerInput; precisions: string; captcha: string };

/** POST /api/v1/rdvs — the confirmed appointment. */
export type Rdv = {
  code: string;
  start: string;
  end: string;
  durationMinutes: number;
  type: RdvType;
  service: {
    code: string;
    name: string;
    address: { street: string; postcode: string; city: string };
    phone: string | null;
    email: string | null;
  };
  motif: { id: number; label: string; parent: string | null };
  /** The documents to bring, as written in the referential of motifs. */
  documents: string;
};

/** GET /api/v1/rdvs/self-service */
export type SelfServiceRdv = {
  code: string;
  start: string;
  end: string;
  type: RdvType;
  service: { name: string };
  motif: { label: string };
  status: string;
  cancellable: boolean;
};

/** GET /api/dev/mails (demo only) */
export type DevMail = {
  id: string | number;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  sentAt: string;
};
