// Invoice numbers and IRNs. Numbers are per terminal: "{terminal}{counter:8}", letters and
// digits only. The counter is fixed-width, so the terminal part is everything before the last
// 8 digits and two terminals can never produce the same number.
export const TERMINAL_CODE = /^[A-Z][A-Z0-9]{1,9}$/;
export const SERVICE_ID = /^[A-Za-z0-9]{8}$/;
const COUNTER_WIDTH = 8;

export function invoiceNumber(terminal: string, counter: number): string {
  if (!TERMINAL_CODE.test(terminal)) throw new Error(`terminal: "${terminal}" must be 2-10 capital letters/digits starting with a letter`);
  if (!Number.isSafeInteger(counter) || counter < 1 || counter >= 10 ** COUNTER_WIDTH) throw new Error(`counter ${counter} out of range`);
  return `${terminal}${String(counter).padStart(COUNTER_WIDTH, '0')}`;
}

export function buildIrn(number: string, serviceId: string, compactLagosDate: string): string {
  if (!/^[A-Za-z0-9]+$/.test(number)) throw new Error(`invoice number "${number}" must be letters and digits only`);
  if (!SERVICE_ID.test(serviceId)) throw new Error(`service id "${serviceId}" must be exactly 8 letters/digits`);
  if (!/^\d{8}$/.test(compactLagosDate)) throw new Error(`IRN date "${compactLagosDate}" must be YYYYMMDD`);
  const irn = `${number}-${serviceId}-${compactLagosDate}`;
  if (irn.length > 140) throw new Error(`IRN is ${irn.length} characters; the QR stamp allows at most 140`);
  return irn;
}
