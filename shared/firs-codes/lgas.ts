// The NRS `lgas` code list (GET /api/v1/invoice/resources/lgas): {name, code, state_code}, codes
// like NG-LA-IKJ (state code + three letters). The full list (774 LGAs) is NOT shipped: only the
// entries verified against public captures of the platform's answer (Abia's first three, and
// Ikeja, the platform's own example). The app refreshes the whole list from the platform when
// online; until then an LGA of a state this copy does not cover is checked by format only (and
// said so), and `firs-check` asks the platform.
export interface LgaEntry {
  code: string;
  name: string;
  state_code: string;
}

export const LGAS: readonly LgaEntry[] = [
  { code: 'NG-AB-ANO', name: 'Aba North', state_code: 'NG-AB' },
  { code: 'NG-AB-ASO', name: 'Aba South', state_code: 'NG-AB' },
  { code: 'NG-AB-ARO', name: 'Arochukwu', state_code: 'NG-AB' },
  { code: 'NG-LA-IKJ', name: 'Ikeja', state_code: 'NG-LA' },
];

/** An LGA code's shape: its state's code, a dash, three letters. */
export const LGA_CODE = /^NG-[A-Z]{2}-[A-Z]{3}$/;
