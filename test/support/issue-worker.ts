// A second (third, …) process issuing sales into the same ledger file, one transaction each.
// Usage: node issue-worker.cjs <ledger file> <prefix> <count>
import { openDatabase } from '../../main/ledger/database';
import { Ledger } from '../../main/ledger/ledger';

const [file, prefix, count] = process.argv.slice(2) as [string, string, string];
const ledger = new Ledger(openDatabase(file));
for (let i = 0; i < Number(count); i++) {
  ledger.issue({
    source: 'manual',
    external_id: `${prefix}-${i}`,
    occurred_at: new Date().toISOString(),
    currency: 'NGN',
    lines: [{ name: 'Bread', quantity: '1', unit_price: '1200.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } }],
    payments: [{ method: 'cash', amount: '1200.00' }],
  });
}
process.stdout.write('done\n');
