/** Product identity, independent of the brand (see components/brand for the State's elements). */
export const site = {
  name: 'Guichet',
  tagline: 'Prise de rendez-vous avec les services des Finances publiques',
  /** Product links shown at the bottom of every page, whatever the brand. */
  footerLinks: [
    { href: '/accessibilite', label: 'Accessibilité : non conforme' },
    { href: '/agent', label: 'Espace agents' },
  ],
} as const;

/** The document title of a page: "Page — Guichet". */
export function pageTitle(page?: string): string {
  return page ? `${page} — ${site.name}` : `${site.name} — ${site.tagline}`;
}
