/** The query-string keys of the three levels of the contact-reasons cascade (see /contact). */
export const LEVEL_KEYS = ['n1', 'n2', 'n3'] as const;
