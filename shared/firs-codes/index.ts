// The NRS code lists the app checks an invoice and a profile against, shipped as data (pure, so
// the setup wizard's pickers can use them too). main/firs/code-lists.ts refreshes them from the
// platform at run time and prefers the fetched copy.
export { STATES, type StateEntry } from './states';
export { LGAS, LGA_CODE, type LgaEntry } from './lgas';
export { HS_CODES, HS_CODE, type HsEntry } from './hs-codes';
export { SERVICE_CODES, ISIC_CODE, type ServiceEntry } from './services-codes';
export { QUANTITY_CODES, type QuantityEntry } from './quantity-codes';
