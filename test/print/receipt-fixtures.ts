// Fixed, issued-invoice-like receipt sources (no keys, no clock): the golden files depend on them.
import type { ReceiptSource } from '../../shared/receipt/receipt';
import { parseBusiness } from './business-fixture';

export const GOLDEN_BUSINESS = parseBusiness({
  name: 'Ade Stores & Provisions',
  tin: '12345678-0001',
  business_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  service_id: '94ND90NR',
  terminal: 'T01',
  email: 'shop@ade.ng',
  phone: '+2348012345678',
  street: '12 Broad Street',
  city: 'Lagos',
});

// 344 characters, like a 2048-bit RSA stamp in base64.
export const GOLDEN_QR = `${'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo'.repeat(10)}0123`.slice(0, 340) + 'AB==';

const tax = { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } as const;

export const SALE_SOURCE: ReceiptSource = {
  counter: 42,
  irn: 'T0100000042-94ND90NR-20261124',
  invoice_number: 'T0100000042',
  type: '381',
  issued_at: Date.parse('2026-11-24T09:30:05+01:00') / 1000,
  currency: 'NGN',
  qr: GOLDEN_QR,
  hash: '9f2c4e1ab37d55e0c0ffee0123456789abcdef0123456789abcdef0123456789',
  status: 'pending_report',
  original_irn: null,
  sale: {
    source: 'manual',
    external_id: 'till-42',
    occurred_at: '2026-11-24T09:30:05+01:00',
    currency: 'NGN',
    lines: [
      { name: 'Rice 5kg', quantity: '2', unit_price: '8600.00', discount: '200.00', tax },
      { name: 'Peak Full Cream Evaporated Milk Tin 160g (carton of 24)', quantity: '1', unit_price: '9450.00', tax },
      { name: 'Tomatoes (kg)', quantity: '1.5', unit_price: '1200.00', tax: { category: 'ZERO_VAT', rate: '0', inclusive: true } },
    ],
    charges: [{ name: 'Delivery', amount: '500.00', tax }],
    payments: [
      { method: 'card', amount: '20000.00' },
      { method: 'cash', amount: '9000.00' },
    ],
  },
};

export const B2B_SOURCE: ReceiptSource = {
  ...SALE_SOURCE,
  counter: 43,
  irn: 'T0100000043-94ND90NR-20261124',
  invoice_number: 'T0100000043',
  status: 'reported',
  hash: '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
  sale: {
    ...SALE_SOURCE.sale,
    external_id: 'till-43',
    lines: [
      { name: 'Office chairs', quantity: '4', unit_price: '25000.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false } },
    ],
    charges: undefined,
    payments: [{ method: 'transfer', amount: '107500.00' }],
    customer: {
      name: 'Chukwuemeka Okonkwo Engineering Services Limited',
      tin: '87654321-0001',
      email: 'accounts@coes.ng',
      phone: '+2348099990000',
      address: { street: '5 Adeola Odeku', city: 'Victoria Island', country: 'NG' },
    },
  },
};

export const CREDIT_SOURCE: ReceiptSource = {
  ...SALE_SOURCE,
  counter: 44,
  irn: 'T0100000044-94ND90NR-20261125',
  invoice_number: 'T0100000044',
  type: '380',
  original_irn: SALE_SOURCE.irn,
  issued_at: Date.parse('2026-11-25T14:02:00+01:00') / 1000,
  hash: 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210',
  sale: {
    source: 'manual',
    external_id: 'refund-42',
    occurred_at: '2026-11-25T14:02:00+01:00',
    currency: 'NGN',
    refund_of: SALE_SOURCE.irn,
    lines: [{ name: 'Rice 5kg', quantity: '1', unit_price: '8600.00', tax }],
    payments: [{ method: 'cash', amount: '8600.00' }],
  },
};
