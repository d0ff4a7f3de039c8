import { describe, expect, it } from 'vitest';
import {
  csvHref,
  currentCursor,
  firstPage,
  hasSearchCriteria,
  listApiQuery,
  listCriteria,
  listHref,
  nextPage,
  pageOffset,
  previousPage,
  rangeText,
  searchApiQuery,
  searchCriteria,
  searchHref,
  shortDate,
} from './rdv-lists.ts';

const params = (s: string) => new URL(`http://x${s}`).searchParams;

describe('critères de la liste des RDV dans l’adresse', () => {
  it('prend par défaut la semaine à partir d’aujourd’hui, tous les services et états, 10 lignes', () => {
    expect(listCriteria(params('/agent/liste-rdv'), '2026-12-03')).toEqual({
      from: '2026-12-03',
      to: '2026-12-09',
      service: null,
      state: null,
      limit: 10,
    });
  });

  it('relit ce que l’adresse dit, et ignore ce qui est mal formé', () => {
    const c = listCriteria(
      params('/agent/liste-rdv?du=2026-12-07&au=2026-12-11&service=5800450&etat=arrive&lignes=20'),
      '2026-12-03',
    );
    expect(c).toEqual({
      from: '2026-12-07',
      to: '2026-12-11',
      service: '5800450',
      state: 'arrive',
      limit: 20,
    });
    expect(
      listCriteria(params('/agent/liste-rdv?du=07/12/2026&service=58&etat=x&lignes=7'), '2026-12-03'),
    ).toEqual({ from: '2026-12-03', to: '2026-12-09', service: null, state: null, limit: 10 });
  });

  it('l’adresse des critères est relue à l’identique (aller-retour)', () => {
    for (const href of [
      '/agent/liste-rdv?du=2026-12-07&au=2026-12-11',
      '/agent/liste-rdv?du=2026-12-07&au=2026-12-11&service=5800450&etat=annule&lignes=50',
    ]) {
      expect(listHref(listCriteria(params(href), '2026-01-01'))).toBe(href);
    }
  });

  it('demande à l’API et à l’export csv les mêmes critères', () => {
    const c = listCriteria(params('/agent/liste-rdv?du=2026-12-07&au=2026-12-11&service=5800450'), '');
    expect(listApiQuery(c)).toEqual({ from: '2026-12-07', to: '2026-12-11', service: '5800450' });
    expect(csvHref(c)).toBe('/api/v1/agent/rdvs.csv?from=2026-12-07&to=2026-12-11&service=5800450');
    expect(csvHref({ ...c, service: null, state: 'non-arrive' })).toBe(
      '/api/v1/agent/rdvs.csv?from=2026-12-07&to=2026-12-11&state=non-arrive',
    );
  });
});

describe('pages', () => {
  it('« N résultat(s) trouvé(s), affichage de a à b »', () => {
    expect(rangeText(12, 0, 10)).toBe('12 résultat(s) trouvé(s), affichage de 1 à 10');
    expect(rangeText(12, 10, 2)).toBe('12 résultat(s) trouvé(s), affichage de 11 à 12');
    expect(rangeText(0, 0, 0)).toBe('0 résultat(s) trouvé(s)');
  });

  it('la pile des curseurs avance et revient sans jamais passer avant la première page', () => {
    let pages = firstPage();
    expect(currentCursor(pages)).toBeUndefined();
    expect(pageOffset(pages, 10)).toBe(0);
    pages = nextPage(pages, 'c1');
    pages = nextPage(pages, 'c2');
    expect(currentCursor(pages)).toBe('c2');
    expect(pageOffset(pages, 10)).toBe(20);
    pages = previousPage(pages);
    expect(currentCursor(pages)).toBe('c1');
    pages = previousPage(previousPage(pages));
    expect(pages).toEqual([undefined]);
  });

  it('écrit les dates comme la référence', () => {
    expect(shortDate('2016-09-28')).toBe('28/09/2016');
  });
});

describe('critères de la recherche des RDV', () => {
  it('relit l’adresse et la réécrit sans les critères vides', () => {
    const c = searchCriteria(
      params('/agent/recherche-rdv?code=xowvvo&nom=%20Rey%20&du=2026-12-01&etat=annule'),
    );
    expect(c).toEqual({
      code: 'xowvvo',
      nom: 'Rey',
      numeroFiscal: '',
      siren: '',
      from: '2026-12-01',
      to: '',
      state: 'annule',
    });
    expect(searchHref(c)).toBe('/agent/recherche-rdv?code=xowvvo&nom=Rey&du=2026-12-01&etat=annule');
    expect(searchHref(searchCriteria(params('/agent/recherche-rdv')))).toBe('/agent/recherche-rdv');
  });

  it('sans aucun critère il n’y a rien à chercher', () => {
    expect(hasSearchCriteria(searchCriteria(params('/?nom=')))).toBe(false);
    expect(hasSearchCriteria(searchCriteria(params('/?siren=732829320')))).toBe(true);
  });

  it('envoie à l’API les critères donnés, numéros sans espaces', () => {
    const c = searchCriteria(params('/?fiscal=1234%20567%20890%20123&siren=732%20829%20320&nom=Rey'));
    expect(searchApiQuery(c)).toEqual({ numeroFiscal: '1234567890123', siren: '732829320', nom: 'Rey' });
  });
});
