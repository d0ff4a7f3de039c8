/**
 * The addresses the product hands out (in emails, in API answers). Only server/http knows its
 * paths (server/http/links.ts builds them): use cases receive a builder in their deps and never
 * write a URL themselves.
 */
export type RdvRef = { id: number; code: string; serviceCode: string };

export type RdvLinks = {
  /** The HMAC token that lets the holder of the email see, download and cancel the rdv. */
  token: string;
  /** The self-cancellation page (absolute). */
  cancel: string;
  /** The server's .ics of the rdv (absolute). */
  calendar: string;
  /** The same .ics, as a path of this site (what the confirmation page links to). */
  calendarPath: string;
  /** The booking wizard of the rdv's service (absolute). */
  newRdv: string;
};

export type Links = {
  /** The public address of the site, without a trailing slash. */
  base: string;
  rdv(rdv: RdvRef): RdvLinks;
};
