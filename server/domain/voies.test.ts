import { describe, expect, it } from 'vitest';
import { normaliseVoie, postalUpper } from './voies.ts';

describe('normaliseVoie', () => {
  it.each([
    ['145 rue de la Délivrande', 'DELIVRANDE'],
    ['145, R. DE LA DELIVRANDE', 'DELIVRANDE'],
    ['Délivrande', 'DELIVRANDE'],
    ['12 bis Bd de la Croix-Rousse', 'CROIX ROUSSE'],
    ['12BIS boulevard de la croix rousse', 'CROIX ROUSSE'],
    ['Avenue du Gal de Gaulle', 'GENERAL GAULLE'],
    ['3 avenue du général de Gaulle', 'GENERAL GAULLE'],
    ['19 rue camille baynac', 'CAMILLE BAYNAC'],
    ['Rue du 8 Mai 1945', '8 MAI 1945'],
    ['Grande Rue de Vaise', 'VAISE'],
    ['2 St-Jean', 'SAINT JEAN'],
    ['Rue de la Place', 'PLACE'],
    ['Rue du Bœuf', 'BOEUF'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseVoie(input)).toBe(expected);
  });
});

describe('postalUpper', () => {
  it.each([
    ["Les Aix-d'Angillon", 'LES AIX D ANGILLON'],
    ['  Saint-Étienne ', 'SAINT ETIENNE'],
    ['Œuilly', 'OEUILLY'],
    ['Lyon 3e Arrondissement', 'LYON 3E ARRONDISSEMENT'],
  ])('%s → %s', (input, expected) => {
    expect(postalUpper(input)).toBe(expected);
  });
});
