import { describe, expect, it } from 'vitest';
import { STATION_API } from '../../../src/shared/api/stationApi';
import { PRODUCT_NAME_RULE } from '../../../src/shared/productNameRule';
import { Catalog } from '../../../src/main/catalog/catalog';
import { DomainError } from '../../../src/main/domainError';

const NAMES = [
  'gear',
  'widget-a',
  'bracket_2',
  '0ring',
  'a'.repeat(64),
  'Widget A',
  'widget a',
  'Gear',
  'gear.v2',
  '-gear',
  '_gear',
  '',
  'a'.repeat(65),
  'gëar',
  'gear/1',
  '../etc',
];

/** Whether the catalogue creates a product of this name (each in an empty catalogue). */
function catalogueTakes(name: string): boolean {
  const catalog = Catalog.open(':memory:');
  try {
    catalog.classes.create(name);
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'invalid-input' });
    return false;
  } finally {
    catalog.close();
  }
}

const apiTakes = (name: string) => STATION_API['products.create'].input.safeParse({ name }).success;

describe('one product-name rule', () => {
  it('the API takes exactly the names the catalogue takes', () => {
    const verdicts = NAMES.map((name) => ({ name, api: apiTakes(name), catalogue: catalogueTakes(name) }));
    expect(verdicts.filter((v) => v.api !== v.catalogue)).toEqual([]);
    // Both ways are exercised: some names pass, and "Widget A", the case that reached users as "internal", does not.
    expect(verdicts.filter((v) => v.catalogue).map((v) => v.name)).toEqual(['gear', 'widget-a', 'bracket_2', '0ring', 'a'.repeat(64)]);
  });

  it('refuses with the rule in words, on every method that names a product', () => {
    const refusal = STATION_API['products.create'].input.safeParse({ name: 'Widget A' });
    expect(refusal.success).toBe(false);
    expect(refusal.error?.issues.map((i) => i.message)).toEqual([PRODUCT_NAME_RULE]);
    expect(STATION_API['hotFolder.start'].input.safeParse({ product: 'Widget A' }).success).toBe(false);
    expect(STATION_API['models.setThreshold'].input.safeParse({ version: 'v1', product: 'Widget A', threshold: 1 }).success).toBe(false);
  });

  it('drops surrounding spaces before the rule, as the form does', () => {
    expect(STATION_API['products.create'].input.parse({ name: '  gear ' })).toEqual({ name: 'gear' });
  });
});
