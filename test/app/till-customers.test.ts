// B2B buyers at the till (issue 14): editing a buyer (same TIN) and deleting one (archived) never
// change an invoice already issued to it; deleting needs the manager.
import { afterEach, describe, expect, it } from 'vitest';
import { ManagerSession, type CallContext } from '../../main/app/handlers';
import { dispatch } from '../../main/app/dispatch';
import { AppServices } from '../../main/app/services';
import { BUSINESS, keyPair, simpleSale, tempDir } from '../support/fixture';

const NOW = new Date('2026-11-24T20:00:00+01:00');
const PIN = '246810';
const open: AppServices[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.stop();
});

const BUYER = {
  name: 'Okafor Trading Ltd',
  tin: '12345678-0002',
  email: 'accounts@okafor.ng',
  phone: '+2348031234567',
  address: { street: '4 Aba Road', city: 'Aba', postal_zone: '450001', state: 'NG-AB', lga: 'NG-AB-ANO', country: 'NG' },
};

describe('B2B buyers: edit and delete', () => {
  it('an edit or a delete leaves issued invoices byte for byte; delete is archive, manager only', async () => {
    const services = new AppServices({
      dataDir: tempDir(),
      mode: 'browser',
      now: () => NOW,
      demoFeedMs: 0,
      watchMs: 60_000,
      log: () => {},
    });
    open.push(services);
    services.start();
    const session = new ManagerSession(() => NOW.getTime());
    const ctx: CallContext = { services, session };
    const call = (channel: string, payload: unknown = {}) => dispatch(channel, payload, ctx, { checkResponses: true, log: () => {} });
    const ok = async (channel: string, payload: unknown = {}) => {
      const r = await call(channel, payload);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
      return r.result as any;
    };
    await ok('setup.configure', { business: BUSINESS, cryptoKeys: keyPair().keysFileJson, managerPin: PIN });
    session.lock();

    const saved = await ok('customers.save', { party: BUYER });
    const sale = await ok('sales.createManual', { sale: { ...simpleSale('till-b2b-1'), customer: saved.party } });
    const issued = () => services.ledger.findByIrn(sale.invoice.irn)!;
    const before = JSON.stringify(issued().invoice);
    expect(issued().invoice.accounting_customer_party?.party_name).toBe('Okafor Trading Ltd');

    // Edit (same TIN): the look-up has the new details; the invoice keeps what it was issued with.
    await ok('customers.save', { party: { ...BUYER, name: 'Okafor Trading Limited', email: 'ap@okafor.ng' } });
    expect((await ok('customers.search', { query: 'okafor' })).items.map((c: any) => c.party.name)).toEqual(['Okafor Trading Limited']);
    expect(JSON.stringify(issued().invoice)).toBe(before);

    // Delete: a cashier may not; the manager archives it; the till no longer finds it.
    expect(await call('customers.archive', { id: saved.id })).toMatchObject({ ok: false, error: { code: 'locked' } });
    await ok('manager.unlock', { pin: PIN });
    expect(await ok('customers.archive', { id: saved.id })).toEqual({ archived: true });
    expect((await ok('customers.search', { query: 'okafor' })).items).toEqual([]);
    expect(JSON.stringify(issued().invoice)).toBe(before);
    expect(issued().hash).toBe(services.ledger.findByIrn(sale.invoice.irn)!.hash);
    expect((await ok('invoices.get', { irn: sale.invoice.irn })).sale.customer.name).toBe('Okafor Trading Ltd');
  });
});
