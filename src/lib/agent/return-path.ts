/**
 * Where to go after signing in: the `retour` of the sign-in page's address when it is a page of
 * the agents' space, else the dashboard. Anything else (another site, "//host", a public page)
 * is ignored, so a crafted link cannot send a signed-in agent elsewhere.
 */
export function returnPath(retour: string | null): string {
  if (!retour || !/^\/agent(\/|\?|$)/.test(retour) || retour.startsWith('/agent/connexion')) return '/agent';
  return retour;
}

/** The sign-in page's address that comes back to `path` (a page of the agents' space). */
export const signInPath = (path: string) => `/agent/connexion?retour=${encodeURIComponent(path)}`;
