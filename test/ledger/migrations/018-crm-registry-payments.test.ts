import { afterEach, expect, it } from 'vitest';
import { applyStep, columns, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';
import { ConnectorSettings } from '../../../main/capture/config';
import { connectionFromSettings } from '../../../main/capture/crm/config';

let db: Db;
afterEach(() => db.close());

it('018 moves CRM connections into the connector settings (vendor, no paymentMeans), adds write-back state, paid time and the payment outbox', () => {
  db = ledgerBefore('018-crm-registry-payments');
  // As the previous release stored them: `source`, and the now-removed mapper option paymentMeans.
  const put = db.prepare('INSERT INTO crm_connection (source, config, enabled, updated_at) VALUES (?, ?, ?, 1)');
  put.run(
    'hubspot',
    JSON.stringify({
      source: 'hubspot',
      baseUrl: 'https://api.hubapi.com',
      auth: 'private_app',
      map: { wonStages: ['1234914'], paymentMeans: 'cheque', buyerFields: { tin: 'tin_number' } },
      writebackProperties: { irn: 'taxpoynt_irn', status: 'taxpoynt_status' },
      pageSize: 100,
      pollIntervalS: 300,
      writeback: true,
      recheckReviews: 25,
      enabled: true,
    }),
    1,
  );
  put.run(
    'pipedrive',
    JSON.stringify({ source: 'pipedrive', auth: 'api_token', baseUrl: 'https://shop.pipedrive.com', map: {}, enabled: false }),
    0,
  );
  db.prepare(
    `INSERT INTO crm_deal (source, deal_id, state, irn, created_at, updated_at) VALUES ('hubspot', '512', 'invoiced', 'INV1-X-20261120', 1, 1)`,
  ).run();
  applyStep(db, '018-crm-registry-payments');

  expect(objects(db, 'table')).not.toContain('crm_connection');
  expect(objects(db, 'table')).toContain('payment_outbox');
  expect(columns(db, 'crm_deal')).toEqual(expect.arrayContaining(['writeback_state', 'paid_at']));
  expect(db.prepare("SELECT writeback_state, paid_at FROM crm_deal WHERE deal_id = '512'").get()).toEqual({
    writeback_state: null,
    paid_at: null,
  });

  // The moved rows are valid settings of the registry's CRM descriptors, and valid deal-source connections.
  const settings = new ConnectorSettings(db);
  const hs = settings.get('hubspot') as Record<string, unknown>;
  expect(hs).toMatchObject({ vendor: 'hubspot', auth: 'private_app', writeback: true, pollIntervalS: 300 });
  expect(hs).not.toHaveProperty('source');
  expect((hs.map as Record<string, unknown>).paymentMeans).toBeUndefined();
  expect(connectionFromSettings(hs)).toMatchObject({
    source: 'hubspot',
    map: { wonStages: ['1234914'], buyerFields: { tin: 'tin_number' } },
  });
  expect(settings.listChecked().invalid).toEqual([]);
  expect(settings.get('pipedrive')).toMatchObject({ vendor: 'pipedrive', enabled: false });

  // One payment update per IRN and status.
  const q = db.prepare('INSERT INTO payment_outbox (irn, payment_status, next_attempt_at, created_at, updated_at) VALUES (?, ?, 1, 1, 1)');
  q.run('INV1-X-20261120', 'PAID');
  expect(() => q.run('INV1-X-20261120', 'PAID')).toThrow(/UNIQUE|PRIMARY/);
  expect(() => q.run('INV1-X-20261120', 'LATER')).toThrow(/CHECK/);
});
