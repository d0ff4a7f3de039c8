import { describe, expect, it } from 'vitest';
import type { DashboardService } from '#lib/api/client.ts';
import {
  apiQuery,
  criteriaFromQuery,
  criteriaToQuery,
  emptyCriteria,
  isSiren,
  resultActions,
  resultCount,
  searchField,
  validateCriteria,
} from './service-search.ts';

const service = (actions: DashboardService['actions']): DashboardService => ({
  code: '5800450',
  codeAssocie: '058019',
  name: 'SERVICE IMPOTS PARTICULIERS NEVERS',
  kind: 'SIP',
  postcode: '58000',
  city: 'NEVERS',
  active: true,
  actions,
});

describe('Rechercher les services : critères dans l’adresse de la page', () => {
  it('relit les critères de chaque onglet et ne garde que ceux de l’onglet cherché', () => {
    const adresse = {
      ...emptyCriteria(),
      voie: ' 19 rue Camille Baynac ',
      city: 'Nevers',
      postcode: '58000',
      types: 'SIP' as const,
      siren: '732829320',
    };
    const q = criteriaToQuery(adresse);
    expect(q).toBe('onglet=adresse&voie=19+rue+Camille+Baynac&localite=Nevers&cp=58000&types=SIP&chercher=1');
    const back = criteriaFromQuery(new URLSearchParams(q));
    expect(back.submitted).toBe(true);
    expect(back.criteria).toEqual({ ...adresse, voie: '19 rue Camille Baynac', siren: '' });

    expect(criteriaToQuery({ ...emptyCriteria('dge'), siren: '732 829 320' })).toBe(
      'onglet=dge&siren=732829320&chercher=1',
    );
    expect(criteriaToQuery(emptyCriteria('dresg'))).toBe('onglet=dresg&chercher=1');
    expect(criteriaToQuery({ ...emptyCriteria('code'), code: '058019' })).toBe(
      'onglet=code&code=058019&chercher=1',
    );
  });

  it('ignore un onglet ou un type inconnus, et une page sans recherche', () => {
    const { criteria, submitted } = criteriaFromQuery(new URLSearchParams('onglet=autre&types=XX'));
    expect(criteria.tab).toBe('adresse');
    expect(criteria.types).toBe('TOUS');
    expect(submitted).toBe(false);
  });
});

describe('validation en français', () => {
  it('adresse : voie et code postal obligatoires, 5 chiffres', () => {
    expect(validateCriteria(emptyCriteria())).toEqual([
      { field: 'voie', message: 'La voie est obligatoire (numéro, type et libellé).' },
      { field: 'postcode', message: 'Le code postal est obligatoire.' },
    ]);
    expect(validateCriteria({ ...emptyCriteria(), voie: 'rue', postcode: '5800' })).toEqual([
      { field: 'postcode', message: 'Le code postal comporte 5 chiffres.' },
    ]);
    expect(validateCriteria({ ...emptyCriteria(), voie: 'rue', postcode: '58000' })).toEqual([]);
  });

  it('DGE : un SIREN de 9 chiffres dont la clé est juste', () => {
    expect(isSiren('732829320')).toBe(true);
    expect(isSiren('732829321')).toBe(false);
    const dge = emptyCriteria('dge');
    expect(validateCriteria(dge)[0]?.message).toBe('Le SIREN est obligatoire.');
    expect(validateCriteria({ ...dge, siren: '1234' })[0]?.message).toBe('Le SIREN comporte 9 chiffres.');
    expect(validateCriteria({ ...dge, siren: '732829321' })[0]?.message).toMatch(/clé de contrôle/);
    expect(validateCriteria({ ...dge, siren: '732 829 320' })).toEqual([]);
  });

  it('code : SAGES sur 7 chiffres ou CODIQUE sur 6 ; DRESG sans critère', () => {
    const code = emptyCriteria('code');
    expect(validateCriteria(code)[0]?.message).toBe('Le code SAGES ou CODIQUE est obligatoire.');
    expect(validateCriteria({ ...code, code: '12345' })[0]?.message).toMatch(/SAGES \(7 chiffres\)/);
    expect(validateCriteria({ ...code, code: '5800450' })).toEqual([]);
    expect(validateCriteria({ ...code, code: '058019' })).toEqual([]);
    expect(validateCriteria(emptyCriteria('dresg'))).toEqual([]);
  });

  it('rapporte les champs d’un refus de l’API', () => {
    expect(searchField('postcode')).toBe('postcode');
    expect(searchField('autre')).toBe('form');
  });
});

describe('requête de l’API', () => {
  it('par onglet', () => {
    expect(apiQuery({ ...emptyCriteria(), voie: ' 1 rue X ', postcode: '58000', types: 'SIE' })).toEqual({
      voie: '1 rue X',
      postcode: '58000',
      types: 'SIE',
    });
    expect(apiQuery({ ...emptyCriteria(), voie: 'r', postcode: '58000', city: 'Nevers' })).toMatchObject({
      city: 'Nevers',
    });
    expect(apiQuery({ ...emptyCriteria('dge'), siren: '732 829 320' })).toEqual({
      mode: 'dge',
      siren: '732829320',
    });
    expect(apiQuery(emptyCriteria('dresg'))).toEqual({ mode: 'dresg' });
    expect(apiQuery({ ...emptyCriteria('code'), code: '5800450' })).toEqual({ code: '5800450' });
  });
});

describe('actions du tableau de résultats', () => {
  const hrefs = (s: DashboardService) => Object.fromEntries(resultActions(s).map((a) => [a.column, a.href]));

  it('un agent extérieur : le détail, et « Prendre RDV » seulement si l’API le permet', () => {
    expect(hrefs(service(['rdv.book']))).toEqual({
      'Consulter le détail': '/services/5800450',
      'Ouvrir l’agenda': null,
      'Prendre RDV': '/agent/services/5800450/parcours',
      'Organiser le service': null,
      'Voir les statistiques': null,
      'Configurer le service': null,
    });
    expect(hrefs(service([]))['Prendre RDV']).toBeNull();
  });

  it('un agent rattaché : l’agenda et le parcours', () => {
    const h = hrefs(service(['agenda.read', 'rdv.create', 'rdv.book']));
    expect(h['Ouvrir l’agenda']).toBe('/agent/services/5800450/agenda');
    expect(h['Prendre RDV']).toBe('/agent/services/5800450/parcours');
  });

  it('dit le nombre de résultats', () => {
    expect(resultCount(0)).toMatch(/^Aucun service/);
    expect(resultCount(1)).toBe('1 service trouvé');
    expect(resultCount(3)).toBe('3 services trouvés');
  });
});

describe('le formulaire après un changement d’adresse', () => {
  it('reprend l’onglet cherché, garde ce qui est saisi ailleurs', async () => {
    const { adoptCriteria } = await import('./service-search.ts');
    const typed = { ...emptyCriteria('adresse'), voie: '1 rue X', postcode: '58000', siren: '732829320' };
    const back = adoptCriteria(typed, { ...emptyCriteria('code'), code: '5800450' });
    expect(back).toEqual({ ...typed, tab: 'code', code: '5800450' });
  });
});
