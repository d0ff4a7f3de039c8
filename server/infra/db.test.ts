import { describe, expect, it } from 'vitest';
import { camelJson } from './db.ts';
import driver from './postgres-driver.ts';

const json = { type: 3802 };
const text = { type: 25 };

describe('camelJson, the driver’s JSON value transform', () => {
  it('gives what the driver’s own camel transform gives, nested objects and arrays included', () => {
    const value = () => ({
      nom_usage: 'Dupont',
      telephones: ['0386000000', null],
      rappel: { plage_horaire: 'matin', jours: [{ week_day: 1 }, 2] },
      dejaCamel: true,
      vide: {},
      rien: null,
    });
    expect(camelJson(value(), json)).toEqual(driver.camel.value.from!(value(), json as never));
    expect(camelJson([value(), 3], { type: 114 })).toEqual(
      driver.camel.value.from!([value(), 3], json as never),
    );
  });

  it('leaves the other columns and the scalar JSON values alone', () => {
    const obj = { some_key: 1 };
    expect(camelJson(obj, text)).toBe(obj);
    expect(camelJson('a_b', json)).toBe('a_b');
    expect(camelJson(null, json)).toBeNull();
  });
});
