// Each invoice line's item classification (shared/domain/firs-invoice.ts lineClassification): the
// line's own code wins, then the business default; a code no list describes is never given an
// invented description — the business's own category, else the bare code, is what is sent.
import { describe, expect, it } from 'vitest';
import { lineClassification } from '../../shared/domain/firs-invoice';

const none = { default_hs_code: undefined, default_isic_code: undefined, default_category: undefined };
const LISTS: Record<'hs-codes' | 'services-codes', Record<string, string>> = {
  'hs-codes': { '1006.30': 'Rice' },
  'services-codes': { '5610': 'Restaurants' },
};
const lists = (list: 'hs-codes' | 'services-codes', code: string) => LISTS[list][code];

describe('lineClassification', () => {
  it("the line's own HS or ISIC code, described from the lists", () => {
    expect(lineClassification({ hsCode: '1006.30', isicCode: '5610' }, none, lists)).toEqual({
      hsn_code: '1006.30',
      product_category: 'Rice',
    });
    expect(lineClassification({ isicCode: '5610' }, none, lists)).toEqual({ isic_code: '5610', service_category: 'Restaurants' });
  });

  it('a code the lists do not describe is sent with its bare code, not a guessed category', () => {
    expect(lineClassification({ hsCode: '9999.99' }, none, lists)).toEqual({ hsn_code: '9999.99', product_category: 'HS 9999.99' });
    expect(lineClassification({ isicCode: '0000' }, none, lists)).toEqual({ isic_code: '0000', service_category: 'ISIC 0000' });
  });

  it("the business default, with the business's own category when the lists do not describe it", () => {
    const goods = { default_hs_code: '9999.99', default_isic_code: undefined, default_category: 'Fabric' };
    expect(lineClassification({}, goods, lists)).toEqual({ hsn_code: '9999.99', product_category: 'Fabric' });
    const services = { default_hs_code: undefined, default_isic_code: '0000', default_category: 'Tailoring' };
    expect(lineClassification({}, services, lists)).toEqual({ isic_code: '0000', service_category: 'Tailoring' });
    expect(lineClassification({}, { ...services, default_isic_code: '5610' }, lists)).toEqual({
      isic_code: '5610',
      service_category: 'Restaurants',
    });
  });

  it('nothing to classify with is left empty (completed, or refused, at send time)', () => {
    expect(lineClassification({}, none, lists)).toEqual({});
  });

  it('without a describer, the shipped lists are read', () => {
    const shipped = lineClassification({ hsCode: '1006.30' }, none);
    expect(shipped).toMatchObject({ hsn_code: '1006.30' });
    expect('product_category' in shipped && shipped.product_category).not.toBe('HS 1006.30');
    expect('product_category' in shipped && shipped.product_category).toBeTruthy();
  });
});
