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
