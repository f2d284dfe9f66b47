import { afterEach, expect, it } from 'vitest';
import { applyStep, columns, insertInvoice, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';

let db: Db;
afterEach(() => db.close());

const at = (iso: string) => Date.parse(iso);

it('009-z-reports moves the day closes out of the settings blob into the append-only table', () => {
  db = ledgerBefore('009-z-reports');
  insertInvoice(db, 1, { day: '2026-11-23', recordedAt: at('2026-11-23T10:00:00Z') });
  insertInvoice(db, 2, { day: '2026-11-23', recordedAt: at('2026-11-23T11:00:00Z') });
  insertInvoice(db, 3, { day: '2026-11-24', recordedAt: at('2026-11-24T09:00:00Z') });
  // A late sale for the 23rd, recorded after the 23rd was closed: not in Z 1's range.
  insertInvoice(db, 4, { day: '2026-11-23', recordedAt: at('2026-11-24T12:00:00Z') });
  const closes = {
    '2026-11-23': { z_number: 1, closed_at: at('2026-11-23T22:00:00Z') },
    '2026-11-25': { z_number: 2, closed_at: at('2026-11-25T22:00:00Z') },
  };
  db.prepare("INSERT INTO settings (key, value) VALUES ('app.dayCloses', ?), ('app.printer', '{}')").run(JSON.stringify(closes));
  applyStep(db, '009-z-reports');

  expect(columns(db, 'z_reports')).toEqual([
    'z_number',
    'day',
    'first_counter',
    'last_counter',
    'head_counter',
    'head_hash',
    'closed_at',
    'report_json',
  ]);
  expect(db.prepare('SELECT * FROM z_reports ORDER BY z_number').all()).toEqual([
    {
      z_number: 1,
      day: '2026-11-23',
      first_counter: 1,
      last_counter: 2,
      head_counter: 2,
      head_hash: 'h2',
      closed_at: closes['2026-11-23'].closed_at,
      report_json: null,
    },
    {
      z_number: 2,
      day: '2026-11-25',
      first_counter: null,
      last_counter: null,
      head_counter: 4,
      head_hash: 'h4',
      closed_at: closes['2026-11-25'].closed_at,
      report_json: null,
    },
  ]);
  expect(db.prepare('SELECT key FROM settings ORDER BY key').pluck().all()).toEqual(['app.printer']);
  expect(objects(db, 'trigger')).toEqual(expect.arrayContaining(['z_reports_no_update', 'z_reports_no_delete']));

  // Append-only: a carried-over close is sealed once with its report, then nothing changes.
  db.prepare("UPDATE z_reports SET report_json = '{}' WHERE z_number = 1").run();
  expect(() => db.prepare('UPDATE z_reports SET report_json = \'{"x":1}\' WHERE z_number = 1').run()).toThrow(/immutable/);
  expect(() => db.prepare("UPDATE z_reports SET closed_at = 0, report_json = '{}' WHERE z_number = 2").run()).toThrow(/immutable/);
  expect(() => db.prepare('DELETE FROM z_reports').run()).toThrow(/immutable/);
  expect(() =>
    db.prepare("INSERT INTO z_reports (z_number, day, head_counter, head_hash, closed_at) VALUES (3, '2026-11-23', 4, 'h4', 1)").run(),
  ).toThrow(/UNIQUE/);
});

it('009-z-reports on a ledger that never closed a day creates the empty table', () => {
  db = ledgerBefore('009-z-reports');
  applyStep(db, '009-z-reports');
  expect(db.prepare('SELECT COUNT(*) AS n FROM z_reports').get()).toEqual({ n: 0 });
});
