import { describe, expect, it } from 'vitest';
import { agentErrors, habilitationsOf, passwordErrors, passwordGate, serviceErrors } from './organisation.ts';

describe('the password form', () => {
  it('asks for the current one, twelve characters, a change and a matching confirmation', () => {
    expect(passwordErrors({ current: '', next: 'court', confirmation: 'autre' })).toEqual([
      { field: 'current', message: 'Saisissez votre mot de passe actuel.' },
      { field: 'next', message: 'Le nouveau mot de passe comporte 12 caractères au moins.' },
      { field: 'confirmation', message: 'La confirmation ne correspond pas au nouveau mot de passe.' },
    ]);
    expect(
      passwordErrors({
        current: 'ancien-mot-de-passe',
        next: 'ancien-mot-de-passe',
        confirmation: 'ancien-mot-de-passe',
      }),
    ).toEqual([{ field: 'next', message: 'Choisissez un mot de passe différent de l’actuel.' }]);
    expect(
      passwordErrors({
        current: 'premier-secret',
        next: 'une phrase de passe',
        confirmation: 'une phrase de passe',
      }),
    ).toEqual([]);
  });

  it('is where an agent on a first password is sent, from any page but itself', () => {
    expect(passwordGate({ mustChangePassword: true }, '/agent')).toBe('/agent/mot-de-passe');
    expect(passwordGate({ mustChangePassword: true }, '/agent/services/5800450/agenda')).toBe(
      '/agent/mot-de-passe',
    );
    expect(passwordGate({ mustChangePassword: true }, '/agent/mot-de-passe')).toBeNull();
    expect(passwordGate({ mustChangePassword: false }, '/agent')).toBeNull();
  });
});

describe('the administrateur’s forms', () => {
  const agent = {
    login: 'prenom.nom',
    name: 'Prénom Nom',
    email: '',
    password: 'premier-secret',
    habilitations: [],
  };

  it('check an agent’s login, name, email, first password and services', () => {
    expect(agentErrors(agent)).toEqual([]);
    expect(
      agentErrors({ ...agent, login: 'a b', name: ' ', email: 'x@', password: 'court' }).map((e) => e.field),
    ).toEqual(['login', 'name', 'email', 'password']);
    expect(agentErrors({ ...agent, habilitations: [{ code: '580045', profile: 'agent' }] })[0]?.message).toBe(
      'Le code principal d’un service comporte 7 chiffres.',
    );
    expect(
      agentErrors({
        ...agent,
        habilitations: [
          { code: '5800450', profile: 'agent' },
          { code: '5800450', profile: 'chef' },
        ],
      })[0]?.message,
    ).toBe('Un service n’est rattaché qu’une fois.');
    expect(
      habilitationsOf([
        { code: ' 5800450 ', profile: 'chef' },
        { code: '', profile: 'agent' },
      ]),
    ).toEqual([{ code: '5800450', profile: 'chef' }]);
  });

  it('check a service’s codes, name and address', () => {
    const ok = {
      codePrincipal: '9990001',
      codeAssocie: '',
      name: 'SIP TEST',
      postcode: '58000',
      city: 'NEVERS',
      email: '',
    };
    expect(serviceErrors(ok)).toEqual([]);
    expect(
      serviceErrors({ ...ok, codePrincipal: '12', codeAssocie: '1', postcode: '5800', city: '' }).map(
        (e) => e.field,
      ),
    ).toEqual(['codePrincipal', 'codeAssocie', 'postcode', 'city']);
  });
});
