import { describe, expect, it } from 'vitest';
import { ApiError } from '#lib/api/client.ts';
import { parcoursOutcomeOfError, refusalDetail, windowWords } from './parcours.ts';
import { emptyUsager, usagerErrors, usagerInput } from './usager-input.ts';

const problem = (
  status: number,
  code: string,
  detail: string,
  errors?: { field: string; message: string }[],
) =>
  new ApiError(status, {
    type: 'about:blank',
    title: 't',
    status,
    code,
    detail,
    ...(errors ? { errors } : {}),
  });

describe('la période du parcours simplifié, en mots', () => {
  it('agent du service : dès aujourd’hui, 60 jours', () => {
    expect(
      windowWords({ canal: 'agentService', window: { from: '2026-12-03', to: '2027-02-01' } }, '2026-12-03'),
    ).toBe(
      'Agent du service : vous pouvez prendre un rendez-vous dès aujourd’hui et jusqu’au lundi 1 février 2027 (60 jours glissants).',
    );
  });

  it('agent extérieur : à partir du lendemain de 2 jours ouvrés, 30 jours', () => {
    const words = windowWords(
      { canal: 'agentExterieur', window: { from: '2026-12-08', to: '2027-01-02' } },
      '2026-12-03',
    );
    expect(words).toMatch(
      /^Agent extérieur au service : vous pouvez prendre un rendez-vous du mardi 8 décembre 2026 au samedi 2 janvier 2027/,
    );
    expect(words).toMatch(/lendemain de 2 jours ouvrés, sur 30 jours glissants/);
  });
});

describe('les refus de la prise de RDV', () => {
  it('un créneau pris entre-temps (409) renvoie au choix du créneau', () => {
    const out = parcoursOutcomeOfError(problem(409, 'SLOT_TAKEN', 'Ce créneau n’est plus disponible.'));
    expect(out.kind).toBe('slot-lost');
    if (out.kind === 'slot-lost')
      expect(out.message).toMatch(/vient d’être pris.*informations saisies sont conservées/);
  });

  it('les erreurs de champs vont à leurs champs', () => {
    const out = parcoursOutcomeOfError(
      problem(422, 'VALIDATION_FAILED', 'Invalide', [
        { field: 'usager.telephones.0', message: 'Numéro de téléphone invalide.' },
        { field: 'precisions', message: 'Précisez l’objet du rendez-vous.' },
      ]),
    );
    expect(out).toEqual({
      kind: 'errors',
      errors: [
        { field: 'telephone1', message: 'Numéro de téléphone invalide.' },
        { field: 'precisions', message: 'Précisez l’objet du rendez-vous.' },
      ],
    });
  });

  it('un refus d’habilitation (403) est expliqué en français', () => {
    const out = parcoursOutcomeOfError(
      problem(
        403,
        'FORBIDDEN',
        'Ce service n’ouvre pas la prise de rendez-vous aux agents extérieurs au service.',
      ),
    );
    expect(out).toEqual({
      kind: 'errors',
      errors: [
        {
          field: 'form',
          message: 'Ce service n’ouvre pas la prise de rendez-vous aux agents extérieurs au service.',
        },
      ],
    });
    expect(refusalDetail('Refusé.')).toMatch(/^Refusé\. Orientez l’usager/);
    expect(refusalDetail(undefined)).toMatch(/habilitation/);
  });

  it('une panne réseau se dit aussi', () => {
    const out = parcoursOutcomeOfError(new TypeError('fetch failed'));
    expect(out.kind === 'errors' && out.errors[0]?.message).toMatch(/connexion/);
  });
});

describe('l’usager, comme dans « Créer un RDV »', () => {
  it('les règles du serveur dites avant l’envoi', () => {
    expect(usagerErrors(emptyUsager()).map((e) => e.field)).toEqual([
      'civilite',
      'nomUsage',
      'prenoms',
      'telephone1',
    ]);
    const pro = { ...emptyUsager(), usagerType: 'professionnel' as const };
    expect(
      usagerErrors(pro)
        .map((e) => e.field)
        .slice(0, 2),
    ).toEqual(['raisonSociale', 'siren']);
  });

  it('la requête : chiffres compacts, champs vides omis', () => {
    const u = usagerInput({
      ...emptyUsager(),
      civilite: 'MME',
      nomUsage: ' Dupont ',
      prenoms: 'Anne',
      numeroFiscal: '1234 5678 90123',
      telephone1: '06 12 34 56 78',
      rappelMatin: true,
    });
    expect(u).toEqual({
      type: 'particulier',
      civilite: 'MME',
      nomUsage: 'Dupont',
      nomNaissance: undefined,
      prenoms: 'Anne',
      dateNaissance: undefined,
      numeroFiscal: '1234567890123',
      siren: undefined,
      raisonSociale: undefined,
      telephones: ['06 12 34 56 78'],
      rappel: ['matin'],
      email: undefined,
    });
  });
});
