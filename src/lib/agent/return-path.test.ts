import { describe, expect, it } from 'vitest';
import { returnPath, signInPath } from './return-path.ts';

describe('retour après connexion', () => {
  it('revient à la page de l’espace agents demandée', () => {
    expect(returnPath('/agent/services/5800450/agenda?date=2026-12-08')).toBe(
      '/agent/services/5800450/agenda?date=2026-12-08',
    );
    expect(returnPath('/agent')).toBe('/agent');
  });

  it('ne renvoie jamais ailleurs que dans l’espace agents', () => {
    for (const bad of [
      null,
      '',
      'https://exemple.fr/agent',
      '//exemple.fr/agent',
      '/contact',
      '/agentx',
      '/agent/connexion',
    ]) {
      expect(returnPath(bad)).toBe('/agent');
    }
  });

  it('encode l’adresse de retour', () => {
    expect(signInPath('/agent/rdvs/3?x=1&y=2')).toBe(
      '/agent/connexion?retour=%2Fagent%2Frdvs%2F3%3Fx%3D1%26y%3D2',
    );
  });
});
