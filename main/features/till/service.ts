// The till's B2B buyers (issue 14): a buyer is saved only when it passes the NRS buyer rules
// (shared/domain/buyer.ts), so a looked-up buyer always makes a valid B2B invoice.
import { buyerProblems } from '../../../shared/domain/buyer';
import { InvalidInput, type Party } from '../../../shared/domain/sale';
import type { Data } from '../../ledger/data';

export function saveCustomer(data: Data, party: Party): { id: number; party: Party } {
  if (!party.tin) throw new InvalidInput('customer.tin: a B2B buyer needs a TIN');
  const problems = buyerProblems(party);
  if (problems.length) throw new InvalidInput(problems.join('; '));
  return data.customers.save({ ...party, tin: party.tin });
}
