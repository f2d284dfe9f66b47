// The shipped copy of the code lists an invoice is checked against, used until the platform's
// own lists have been fetched once (a terminal may issue offline from its first day). Kept to
// the codes this app produces plus common neighbours; the fetched lists replace it.
import type { CodeListEntry, CodeListName } from './wire';
import { HS_CODES, LGAS, QUANTITY_CODES, SERVICE_CODES, STATES } from '../../shared/firs-codes';

export const DEFAULT_CODE_LISTS: Partial<Record<CodeListName, CodeListEntry[]>> = {
  'invoice-types': [
    { code: '381', value: 'Commercial Invoice' },
    { code: '380', value: 'Credit Note' },
    { code: '384', value: 'Debit Note' },
    { code: '385', value: 'Self Billed Invoice' },
    { code: '386', value: 'Factored Invoice' },
    { code: '390', value: 'Proforma Invoice' },
    { code: '396', value: 'Invoice Request' },
  ],
  currencies: ['NGN', 'USD', 'EUR', 'GBP', 'GHS', 'XOF', 'ZAR', 'CNY'].map((code) => ({ code })),
  'tax-categories': [
    'STANDARD_VAT',
    'REDUCED_VAT',
    'ZERO_VAT',
    'EXEMPTED',
    'STAMP_DUTY',
    'WITHHOLDING_TAX',
    'CAPITAL_GAINS_TAX',
    'CUSTOM_DUTY',
    'EXCISE_DUTY',
    'LOCAL_SALES_TAX',
  ].map((code) => ({ code })),
  'payment-means': ['1', '10', '20', '30', '31', '42', '48', '49', '57', '58', '59', '68', '70', '74', '75', '97'].map((code) => ({
    code,
  })),
  states: STATES.map((e) => ({ ...e })),
  lgas: LGAS.map((e) => ({ ...e })),
  'hs-codes': HS_CODES.map((e) => ({ ...e })),
  'services-codes': SERVICE_CODES.map((e) => ({ ...e })),
  'invoice-quantity-codes': QUANTITY_CODES.map((e) => ({ ...e })),
  countries: ['NG', 'GH', 'BJ', 'CM', 'TG', 'NE', 'TD', 'US', 'GB', 'CN', 'IN', 'ZA', 'AE', 'FR', 'DE'].map((alpha_2) => ({ alpha_2 })),
};
