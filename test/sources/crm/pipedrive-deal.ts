// A Pipedrive v2 deal bundle for the deal-sink tests: the organisation with TIN and address, one
// product line, two at `price` naira with 7.5 % exclusive VAT; and the same kind of deal put into
// the Pipedrive loopback fake.
import type { FakePipedrive } from '../../fakes/pipedrive-api';

export const ORG = {
  data: {
    id: 5,
    name: 'Ade Ltd',
    custom_fields: { tin: '12345678-0001', email: 'ap@ade.ng' },
    address: {
      street_number: '1',
      route: 'Marina',
      locality: 'Lagos',
      postal_code: '101233',
      admin_area_level_1: 'NG-LA',
      admin_area_level_2: 'NG-LA-IKJ',
      country: 'NG',
    },
  },
};
/** Pipedrive v2 deal bundle: two at `price` naira, 7.5 % exclusive VAT. */
export function pipedriveDeal(over: Record<string, unknown> = {}, price = 10000) {
  return {
    deal: {
      data: {
        id: 42,
        title: 'Cement',
        status: 'won',
        value: price * 2 * 1.075,
        currency: 'NGN',
        won_time: '2026-11-20T10:00:00Z',
        update_time: '2026-11-20T10:00:00Z',
        ...over,
      },
    },
    products: {
      data: [
        {
          id: 1,
          name: 'Cement',
          quantity: 2,
          item_price: price,
          discount: 0,
          discount_type: 'percentage',
          tax: 7.5,
          tax_method: 'exclusive',
          currency: 'NGN',
        },
      ],
    },
    organization: ORG,
  };
}

/** A won NGN deal in the fake: two of one product at ₦100.00 with 7.5 % exclusive VAT (₦215.00). */
export function putWonDeal(fake: FakePipedrive, id: number, orgId: number, wonTime: string, changedAt = Date.parse(wonTime)): void {
  fake.putDeal(
    { id, title: `Deal ${id}`, status: 'won', value: 215, currency: 'NGN', org_id: orgId, won_time: wonTime },
    {
      products: [
        {
          id: 100 + id,
          name: 'Cement',
          quantity: 2,
          item_price: 100,
          tax: 7.5,
          tax_method: 'exclusive',
          discount: 0,
          discount_type: 'percentage',
          sum: 215,
          currency: 'NGN',
          is_enabled: true,
        },
      ],
      at: changedAt,
    },
  );
}
