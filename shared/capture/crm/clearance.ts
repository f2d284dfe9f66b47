// The clearance state written back to the CRM, from the invoice's report state: a B2B invoice is
// "cleared" once the platform has it, "rejected" when it refused it, otherwise awaiting clearance.
export const CLEARANCE_STATES = ['awaiting_clearance', 'cleared', 'rejected'] as const;
export type ClearanceState = (typeof CLEARANCE_STATES)[number];

export function clearanceState(reportStatus: string): ClearanceState {
  if (reportStatus === 'reported') return 'cleared';
  if (reportStatus === 'rejected' || reportStatus === 'failed') return 'rejected';
  return 'awaiting_clearance';
}

/** What is written onto the deal. */
export interface DealWriteback {
  irn: string;
  invoiceNumber: string;
  clearance: ClearanceState;
}
