import type { Links } from '../app/links.ts';
import { signRdvLink } from '../domain/signed-link.ts';
import type { Config } from '../infra/config.ts';

/** Builds the product's addresses; its paths are those of the routes of server/http and src/routes. */
export function publicBaseUrl(config: Pick<Config, 'publicUrl' | 'port'>): string {
  return (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
}

export function createLinks(config: Pick<Config, 'publicUrl' | 'port'>, signingSecret: string): Links {
  const base = publicBaseUrl(config);
  return {
    base,
    rdv(rdv) {
      const token = signRdvLink(signingSecret, { id: rdv.id, code: rdv.code });
      const q = (tokenName: string) =>
        `code=${encodeURIComponent(rdv.code)}&${tokenName}=${encodeURIComponent(token)}`;
      const calendarPath = `/api/v1/rdvs/self-service/ics?${q('token')}`;
      return {
        token,
        cancel: `${base}/rendez-vous/annuler?${q('jeton')}`,
        calendar: `${base}${calendarPath}`,
        calendarPath,
        newRdv: `${base}/services/${encodeURIComponent(rdv.serviceCode)}/rendez-vous`,
      };
    },
  };
}
