// The ledger: the one module that owns the SQL. `issue` turns a canonical sale into an issued
// invoice in a single IMMEDIATE transaction (dedupe, number, IRN, QR, chain link, outbox rows).
import type { Db } from './database';
import { prepared } from './prepared';
import { col, CountRow, many, one } from './rows';
import { z } from 'zod';
import type { Statement } from 'better-sqlite3';
import { chainHashOfParts, GENESIS_HASH, type ChainedFields } from './chain';
import { RowChecker, walkChain, WALK_SQL, type ChainBreak, type WalkEnd, type WalkRow } from './chain-walk';
import { bodyParts, decodeBody, encodePair, loadDictionaries, pairText, warmDictionaries } from './invoice-body';
import { indexSearch, searchFields } from './invoice-search';
import { BusinessSchema, SetupBusinessSchema, type Business } from '../../shared/domain/business';
import { buyerProblems, invoiceKind } from '../../shared/domain/buyer';
import { CodeLists } from '../firs/code-lists';
import { profileCodeCheck } from '../firs/profile-check';
import { InvalidInput, parseSale, type Sale } from '../../shared/domain/sale';
import { computeTotals } from '../../shared/domain/totals';
import { buildFirsInvoice, INVOICE_TYPE, type FirsInvoice } from '../../shared/domain/firs-invoice';
import { buildIrn, invoiceNumber } from '../../shared/domain/irn';
import { toLagos, lagosDayBounds } from '../../shared/domain/lagos-time';
import { formatKobo } from '../../shared/domain/money';
import { QrStamper } from '../fiscal/qr-stamp';
import { checkCreditLines, checkSaleRules, type SaleRuleContext } from '../../shared/domain/sale-rules';
import { AppSettings } from '../app/settings';
import { parseCryptoKeys, type CryptoKeys } from '../fiscal/crypto-keys';
import { contribution } from '../../shared/reports/day-summary';
import { ReportTotalsStore } from './report-totals';
import { SettingsStore } from './settings-store';

export type ReportStatus = 'pending_report' | 'reporting' | 'reported' | 'rejected' | 'failed';

export interface IssuedInvoice {
  counter: number;
  irn: string;
  invoice_number: string;
  type: string;
  source: string;
  external_id: string;
  issued_at: number;
  issue_date: string;
  currency: string;
  payable_kobo: number;
  tax_kobo: number;
  net_kobo: number;
  tip_kobo: number;
  b2b: boolean;
  original_irn: string | null;
  qr: string;
  hash: string;
  prev_hash: string;
  status: ReportStatus;
  invoice: FirsInvoice;
  sale: Sale;
}

export interface IssueResult {
  duplicate: boolean;
  invoice: IssuedInvoice;
}

export interface VerifyOptions {
  /** 'start' (default): the whole chain; 'checkpoint': from the newest recorded checkpoint. */
  from?: 'start' | 'checkpoint';
  /** Record the head reached as a checkpoint when the chain holds. */
  record?: boolean;
}

export interface Checkpoint {
  counter: number;
  hash: string;
  full: boolean;
  verified_at: number;
}

const CheckpointRow = z.object({ counter: col.int, hash: col.text, full: col.flag, verified_at: col.int });

export interface VerifyResult {
  ok: boolean;
  /** Invoices in the chain up to the head reached. */
  count: number;
  head: string;
  /** The counter the walk started after (0: from the genesis). */
  from: number;
  broken?: { counter: number; invoice_number: string | null; reason: string };
}

/** Tolerance for a register clock running ahead of ours. */
const FUTURE_TOLERANCE_S = 10 * 60;

const TerminalRow = z.object({ terminal: col.text });
const ValueRow = z.object({ value: col.text });
const SumRow = z.object({ s: col.int });
const SeriesRow = z.object({ next_counter: col.int, head_counter: col.int, head_hash: col.text });
const SaleBodyRow = z.object({ dictionary_id: col.int, body: z.instanceof(Buffer) });

interface InvoiceRow extends Omit<ChainedFields, 'invoice_json' | 'sale_json'> {
  dictionary_id: number;
  body: Buffer;
  source: string;
  external_id: string;
  issue_date: string;
  currency: string;
  payable_kobo: number;
  tax_kobo: number;
  net_kobo: number;
  tip_kobo: number;
  b2b: number;
  original_irn: string | null;
  prev_hash: string;
  hash: string;
  report_status: string | null;
}

export class NotSetUp extends Error {
  constructor() {
    super('this terminal is not set up: run `taxpoynt-pos setup` (or the setup wizard) first');
    this.name = 'NotSetUp';
  }
}

export class Ledger {
  private stamper: QrStamper | undefined;
  private business: Business | undefined;

  private lists: CodeLists | undefined;
  private readonly reportTotals: ReportTotalsStore;

  /** The NRS code lists (cached from the platform, else shipped): item categories, profile codes. */
  codeLists(): CodeLists {
    this.lists ??= new CodeLists(this.db);
    return this.lists;
  }

  private sql(text: string): Statement {
    return prepared(this.db, text);
  }

  constructor(
    readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.reportTotals = new ReportTotalsStore(db);
  }

  // ---------- setup ----------

  configure(business: unknown, keysFileText: string): Business {
    const parsed = SetupBusinessSchema.safeParse(business);
    if (!parsed.success) {
      throw new InvalidInput(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    const codes = profileCodeCheck(parsed.data, this.codeLists());
    if (codes.errors.length > 0) throw new InvalidInput(codes.errors.join('; '));
    let keys: CryptoKeys;
    try {
      keys = parseCryptoKeys(keysFileText);
    } catch (e) {
      throw new InvalidInput((e as Error).message);
    }
    const existing = many(TerminalRow, 'series terminals', this.sql('SELECT terminal FROM series'));
    const issued = this.count();
    if (issued > 0 && existing.length && !existing.some((s) => s.terminal === parsed.data.terminal)) {
      throw new InvalidInput(`terminal: this ledger already issued invoices as ${existing[0]!.terminal}; a terminal code cannot change`);
    }
    const settings = new SettingsStore(this.db);
    this.db
      .transaction(() => {
        settings.set('business', JSON.stringify(parsed.data));
        settings.set('crypto_keys', JSON.stringify(keys));
        this.sql('INSERT OR IGNORE INTO series (terminal, next_counter) VALUES (?, 1)').run(parsed.data.terminal);
      })
      .immediate();
    this.business = parsed.data;
    this.stamper = new QrStamper(keys);
    return parsed.data;
  }

  getBusiness(): Business | undefined {
    if (!this.business) {
      const row = one(ValueRow, 'business setting', this.sql("SELECT value FROM settings WHERE key = 'business'"));
      this.business = row ? BusinessSchema.parse(JSON.parse(row.value)) : undefined;
    }
    return this.business;
  }

  private requireSetup(): { business: Business; stamper: QrStamper } {
    const business = this.getBusiness();
    if (!this.stamper) {
      const row = one(ValueRow, 'crypto_keys setting', this.sql("SELECT value FROM settings WHERE key = 'crypto_keys'"));
      if (row) this.stamper = new QrStamper(JSON.parse(row.value) as CryptoKeys);
    }
    if (!business || !this.stamper) throw new NotSetUp();
    return { business, stamper: this.stamper };
  }

  // ---------- issuing ----------

  /** Validates first (nothing is written for bad input), then issues in one transaction. */
  issue(input: unknown): IssueResult {
    // The code lists' versions are read once per sale, not once per line looked up.
    return this.codeLists().atOneVersion(() => this.issueOne(input));
  }

  private issueOne(input: unknown): IssueResult {
    const sale = parseSale(input);
    const totals = computeTotals(sale);
    // B2B/B2G buyers must be complete (NRS v1.1): refused here, so the till says what is missing
    // and a POS/CRM sale goes to the review queue (capture's sink keeps refused payloads there).
    const buyerGaps = buyerProblems(sale.customer);
    if (buyerGaps.length > 0)
      throw new InvalidInput(`a ${invoiceKind(sale.customer)} invoice needs a complete buyer: ${buyerGaps.join('; ')}`);
    const { business, stamper } = this.requireSetup();
    checkSaleRules(sale, this.saleRules());
    const issuedAtMs = Date.parse(sale.occurred_at);
    const issuedAt = Math.floor(issuedAtMs / 1000);
    const nowS = Math.floor(this.now().getTime() / 1000);
    if (issuedAt > nowS + FUTURE_TOLERANCE_S) {
      throw new InvalidInput(`occurred_at: ${sale.occurred_at} is in the future (terminal clock ${this.now().toISOString()})`);
    }
    const lagos = toLagos(new Date(issuedAt * 1000));
    const saleJson = JSON.stringify(sale);
    warmDictionaries(this.db); // read once, outside the write transaction (see invoice-body.ts)

    const run = this.db.transaction((): IssueResult => {
      const existing = this.findBySourceId(sale.source, sale.external_id);
      if (existing) {
        if (JSON.stringify(existing.sale) !== saleJson) {
          // Same id, different content: a silent second invoice would double-count, silently
          // returning the first would hide a changed sale. Say so; corrections are credit notes.
          throw new InvalidInput(
            `external_id: ${sale.source} sale "${sale.external_id}" was already issued as ${existing.irn} with different content; issue a credit note to correct it`,
          );
        }
        return { duplicate: true, invoice: existing };
      }

      let original: IssuedInvoice | undefined;
      if (sale.refund_of) {
        original = this.findByIrn(sale.refund_of) ?? this.findByExternalId(sale.source, sale.refund_of);
        if (!original) throw new InvalidInput(`refund_of: no issued invoice with IRN or external id "${sale.refund_of}"`);
        if (original.type !== INVOICE_TYPE.invoice) throw new InvalidInput(`refund_of: ${original.irn} is itself a credit note`);
        if (original.currency !== sale.currency)
          throw new InvalidInput(`currency: ${sale.currency} differs from the original invoice's ${original.currency}`);
        checkCreditLines(sale, original.sale, this.creditNoteSales(original.irn), original.irn);
        const credited = one(
          SumRow,
          'credited sum',
          this.sql('SELECT COALESCE(SUM(payable_kobo), 0) AS s FROM invoices WHERE original_irn = ?'),
          original.irn,
        )!.s;
        if (credited + totals.taxInclusive > original.payable_kobo) {
          throw new InvalidInput(
            `refund_of: credit of ${formatKobo(totals.taxInclusive)} exceeds what remains of ${original.irn} (${formatKobo(original.payable_kobo - credited)} of ${formatKobo(original.payable_kobo)})`,
          );
        }
      }

      // Per issued invoice: a three-column schema, a microsecond next to the commit.
      const series = one(
        SeriesRow,
        'series',
        this.sql('SELECT next_counter, head_counter, head_hash FROM series WHERE terminal = ?'),
        business.terminal,
      );
      if (!series) throw new NotSetUp();
      const counter = series.head_counter + 1;
      const number = invoiceNumber(business.terminal, series.next_counter);
      const irn = buildIrn(number, business.service_id, lagos.compactDate);
      const lists = this.codeLists();
      const invoice = buildFirsInvoice(sale, totals, {
        business,
        irn,
        issuedAt: new Date(issuedAt * 1000),
        describe: (list, code) => lists.describe(list, code),
        original: original ? { irn: original.irn, issue_date: original.issue_date } : undefined,
      });
      const fields: ChainedFields = {
        counter,
        invoice_number: number,
        irn,
        type: invoice.invoice_type_code,
        issued_at: issuedAt,
        qr: stamper.stamp(irn, issuedAt),
        invoice_json: JSON.stringify(invoice),
        sale_json: saleJson,
      };
      const prevHash = series.head_hash;
      // The two texts are JSON-escaped once: the stored pair holds the very bytes the chain record
      // embeds for them, so the hash is taken from its parts (as verify does) instead of escaping
      // them again in a second serialisation of the record.
      const pair = pairText(fields);
      const parts = bodyParts(pair)!;
      const hash = chainHashOfParts(prevHash, fields, parts.invoice, parts.sale);
      const nowMs = this.now().getTime();
      const { text, ...search } = searchFields({ invoice_number: number, irn, external_id: sale.external_id }, sale);
      const row = {
        ...fields,
        ...encodePair(this.db, pair, nowMs),
        ...search,
        source: sale.source,
        external_id: sale.external_id,
        issue_date: lagos.date,
        currency: sale.currency,
        payable_kobo: totals.taxInclusive,
        tax_kobo: totals.taxTotal,
        net_kobo: totals.taxExclusive,
        tip_kobo: totals.tip,
        b2b: invoiceKind(sale.customer) === 'B2C' ? 0 : 1,
        original_irn: original?.irn ?? null,
        prev_hash: prevHash,
        hash,
        recorded_at: nowMs,
      };

      this.sql(
        `INSERT INTO invoices (counter, invoice_number, irn, type, source, external_id, issued_at, issue_date, currency,
           payable_kobo, tax_kobo, net_kobo, tip_kobo, b2b, original_irn, qr, invoice_json, sale_json, dictionary_id, body,
           customer, customer_tin, methods, prev_hash, hash, recorded_at)
         VALUES (@counter, @invoice_number, @irn, @type, @source, @external_id, @issued_at, @issue_date, @currency,
           @payable_kobo, @tax_kobo, @net_kobo, @tip_kobo, @b2b, @original_irn, @qr, '', '', @dictionary_id, @body,
           @customer, @customer_tin, @methods, @prev_hash, @hash, @recorded_at)`,
      ).run(row);
      // The day's report totals, in the same transaction: a report never disagrees with the chain.
      this.reportTotals.record(counter, row.issue_date, contribution({ type: row.type, source: row.source, issued_at: issuedAt }, totals));
      indexSearch(this.db, counter, text);
      this.sql('UPDATE series SET next_counter = next_counter + 1, head_counter = ?, head_hash = ? WHERE terminal = ?').run(
        counter,
        hash,
        business.terminal,
      );
      // The receipt's and the report's jobs in one statement (print first, as the sync and the
      // printer expect by rowid).
      this.sql(
        `INSERT INTO outbox (kind, invoice_counter, next_attempt_at, created_at, updated_at)
         VALUES ('print', ?, ?, ?, ?), ('report', ?, ?, ?, ?)`,
      ).run(counter, nowMs, nowMs, nowMs, counter, nowMs, nowMs, nowMs);
      return { duplicate: false, invoice: this.toInvoice({ ...row, report_status: 'pending' }, invoice, sale) };
    });
    return run.immediate();
  }

  /** What a sale is checked against beyond its shape: the code list and the configured VAT rate. */
  private saleRules(): SaleRuleContext {
    return {
      standardVatRate: new AppSettings(this.db).get('tax')!.standardVatRate,
      // The ledger's own CodeLists: its parsed lists and code sets are kept per version.
      currencies: this.codeLists().codes('currencies'),
    };
  }

  /** The canonical sales of the credit notes already issued against an invoice. */
  creditNoteSales(originalIrn: string): Sale[] {
    const rows = many(
      SaleBodyRow,
      'credit note sales',
      this.sql('SELECT dictionary_id, body FROM invoices WHERE original_irn = ? ORDER BY counter'),
      originalIrn,
    );
    return rows.map((r) => JSON.parse(decodeBody(this.db, r.dictionary_id, r.body).sale_json) as Sale);
  }

  /** Several sales atomically: either all are issued (or found as duplicates) or none is. */
  issueAll(inputs: unknown[]): IssueResult[] {
    return this.db
      .transaction(() =>
        inputs.map((input, i) => {
          try {
            return this.issue(input);
          } catch (e) {
            if (e instanceof InvalidInput && inputs.length > 1) throw new InvalidInput(`sale[${i}]: ${e.message}`);
            throw e;
          }
        }),
      )
      .immediate();
  }

  // ---------- reading ----------

  private static readonly SELECT = `SELECT i.*, o.status AS report_status FROM invoices i
    LEFT JOIN outbox o ON o.invoice_counter = i.counter AND o.kind = 'report'`;

  private toInvoice(row: InvoiceRow, invoice?: FirsInvoice, sale?: Sale): IssuedInvoice {
    const texts = invoice && sale ? undefined : decodeBody(this.db, row.dictionary_id, row.body);
    const status: ReportStatus =
      (
        {
          pending: 'pending_report',
          retrying: 'pending_report',
          sending: 'reporting',
          done: 'reported',
          rejected: 'rejected',
          dead: 'failed',
        } as const
      )[(row.report_status ?? 'pending') as 'pending'] ?? 'pending_report';
    return {
      counter: row.counter,
      irn: row.irn,
      invoice_number: row.invoice_number,
      type: row.type,
      source: row.source,
      external_id: row.external_id,
      issued_at: row.issued_at,
      issue_date: row.issue_date,
      currency: row.currency,
      payable_kobo: row.payable_kobo,
      tax_kobo: row.tax_kobo,
      net_kobo: row.net_kobo,
      tip_kobo: row.tip_kobo,
      b2b: row.b2b === 1,
      original_irn: row.original_irn,
      qr: row.qr,
      hash: row.hash,
      prev_hash: row.prev_hash,
      status,
      invoice: invoice ?? (JSON.parse(texts!.invoice_json) as FirsInvoice),
      sale: sale ?? (JSON.parse(texts!.sale_json) as Sale),
    };
  }

  findByIrn(irn: string): IssuedInvoice | undefined {
    const row = this.sql(`${Ledger.SELECT} WHERE i.irn = ?`).get(irn) as InvoiceRow | undefined;
    return row && this.toInvoice(row);
  }

  findBySourceId(source: string, externalId: string): IssuedInvoice | undefined {
    const row = this.sql(`${Ledger.SELECT} WHERE i.source = ? AND i.external_id = ?`).get(source, externalId) as InvoiceRow | undefined;
    return row && this.toInvoice(row);
  }

  /** refund_of by external id: the same source first, then any source. */
  private findByExternalId(source: string, externalId: string): IssuedInvoice | undefined {
    const row = this.sql(`${Ledger.SELECT} WHERE i.external_id = ? ORDER BY (i.source = ?) DESC, i.counter LIMIT 1`).get(
      externalId,
      source,
    ) as InvoiceRow | undefined;
    return row && this.toInvoice(row);
  }

  /** Invoices of one Lagos calendar day, in issue order. */
  listByDate(date: string): IssuedInvoice[] {
    lagosDayBounds(date); // validates the date
    const rows = this.sql(`${Ledger.SELECT} WHERE i.issue_date = ? ORDER BY i.counter`).all(date) as InvoiceRow[];
    return rows.map((r) => this.toInvoice(r));
  }

  count(): number {
    return one(CountRow, 'invoice count', this.sql('SELECT COUNT(*) AS n FROM invoices'))!.n;
  }

  // ---------- tamper evidence ----------

  /**
   * Walks the chain and names the first link that does not hold. By default from the start
   * (`full`); `from: 'checkpoint'` starts at the newest recorded checkpoint after checking that
   * its invoice still carries the hash verified then (the checkpoint is tied to the chain; edits
   * below it are for a full walk to find). `record` appends the head reached to
   * chain_checkpoints when the chain holds.
   */
  verify(options: VerifyOptions = {}): VerifyResult {
    const checker = new RowChecker(loadDictionaries(this.db));
    try {
      // One read snapshot for the walk and the head: sales issued meanwhile are not half-seen.
      const result = this.db.transaction((): VerifyResult => {
        const start = options.from === 'checkpoint' ? this.lastCheckpoint() : undefined;
        if (start && start.counter > 0) {
          const broken = this.checkpointBreak(start, checker);
          if (broken) return { ok: false, count: start.counter, head: start.hash, from: start.counter, broken };
        }
        const from = start?.counter ?? 0;
        return this.verifyResult(from, walkChain(this.db, checker, from, start?.hash ?? GENESIS_HASH));
      })();
      if (result.ok && options.record) this.recordCheckpoint(result, options.from !== 'checkpoint');
      return result;
    } finally {
      checker.close();
    }
  }

  /**
   * Tied to the chain: the checkpointed invoice must still hash, from its stored content and
   * previous-hash, to the head verified then.
   */
  private checkpointBreak(start: Checkpoint, checker: RowChecker): ChainBreak | undefined {
    const row = this.sql(`${WALK_SQL} WHERE counter = ?`).raw().get(start.counter) as WalkRow | undefined;
    const problem = row ? checker.check(row, row[6]) : 'is gone';
    if (!problem && row![7] === start.hash) return undefined;
    return {
      counter: start.counter,
      invoice_number: row?.[1] ?? null,
      reason: `the invoice at the last verified checkpoint ${problem ?? 'no longer has the hash verified then'}: the ledger was edited since; run verify --full`,
    };
  }

  /**
   * verify's answer for a walk that started after counter `from` and ended at `end`: when every
   * invoice held, the chain head recorded in the series must be the one reached (else the newest
   * invoices were deleted). Read in the walk's transaction. Also used by verify-parallel.ts.
   */
  verifyResult(from: number, end: WalkEnd): VerifyResult {
    const { count, head: prev } = end;
    if (end.broken) return { ok: false, count, head: prev, from, broken: end.broken };
    const head = this.sql('SELECT head_counter AS counter, head_hash AS hash FROM series').get() as
      { counter: number; hash: string } | undefined;
    if ((head?.counter ?? 0) !== count || (head?.hash ?? GENESIS_HASH) !== prev) {
      return {
        ok: false,
        count,
        head: prev,
        from,
        broken: {
          counter: count + 1,
          invoice_number: null,
          reason: `the chain head records ${head?.counter ?? 0} invoices but ${count} are present: the newest invoices were deleted`,
        },
      };
    }
    return { ok: true, count, head: prev, from };
  }

  /** The newest verified head (`verify` with `record`), if any. */
  lastCheckpoint(): Checkpoint | undefined {
    return one(
      CheckpointRow,
      'chain checkpoint',
      this.sql('SELECT counter, hash, full, verified_at FROM chain_checkpoints ORDER BY id DESC LIMIT 1'),
    );
  }

  /** Appends the head a verify reached (that held) to chain_checkpoints. */
  recordCheckpoint(result: VerifyResult, full: boolean): void {
    const last = this.lastCheckpoint();
    if (!full && last && last.counter === result.count && last.hash === result.head) return;
    this.sql('INSERT INTO chain_checkpoints (counter, hash, full, verified_at) VALUES (?, ?, ?, ?)').run(
      result.count,
      result.head,
      full ? 1 : 0,
      this.now().getTime(),
    );
  }
}

export { WALK_SQL } from './chain-walk';
