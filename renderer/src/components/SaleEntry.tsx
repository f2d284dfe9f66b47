// Manual sale entry, keyboard first: type item, Tab, qty, Tab, price, Tab, VAT, Enter adds the
// line and returns to the item field; Ctrl+Enter charges. Totals are exact kobo, live.
// Catalogue: search by name/SKU as the item is typed, quick keys, and a barcode scanner in any
// field (keyboard wedge). Payment: one method, or split; the change stays on screen after Charge.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { PAYMENT_METHODS, type PaymentMethod } from '../../../shared/domain/payment-means';
import {
  amountProblem,
  draftTotals,
  lineProblems,
  newDraftId,
  normalisePrice,
  PAYMENT_LABELS,
  VAT_CHOICES,
  type DraftLine,
  type DraftSale,
  type VatKey,
} from '../lib/sale-draft';
import { naira } from '../lib/format';
import { formatKobo } from '../../../shared/domain/money';
import { parseMoneyEntry } from '../../../shared/catalogue/money-entry';
import type { Product } from '../../../shared/catalogue/product';
import type { Sale } from '../../../shared/domain/sale';
import { toSale } from '../lib/sale-draft';
import { message } from '../lib/errors';
import { invoke } from '../api/client';
import { useWedge } from '../lib/use-wedge';
import { QuickKeys } from './QuickKeys';
import { BuyerPicker } from './BuyerPicker';
import { useParked } from '../stores/parked';
import { useTill } from '../stores/till';
import { confirmationQuestion, DEFAULT_CONFIRM_ABOVE_KOBO, DEFAULT_DISCOUNT_APPROVAL_ABOVE_PCT } from '../../../shared/domain/sale-confirm';
import { discountApprovalReason, parseDiscountEntry } from '../../../shared/domain/discount';
import { useApp } from '../stores/app';
import { applyPadKey, NumberPad, type PadKey } from './NumberPad';
import { ManagerApproval } from './ManagerApproval';

/** The fields the on-screen number pad types into (the one focused last). */
type PadTarget = 'quantity' | 'price' | 'tendered' | 'discount';
const PAD_NAMES: Record<PadTarget, string> = { quantity: 'Quantity', price: 'Price', tendered: 'Cash tendered', discount: 'Discount' };
const PAD_SHOWN = 'till.numberPad';

// A new line always starts at standard VAT: carrying the last line's choice over under-charges.
const EMPTY_LINE: DraftLine = { name: '', quantity: '1', price: '', vat: 'STANDARD_VAT' };

function productLine(p: Product, quantity: string): DraftLine {
  return {
    name: p.name,
    quantity,
    price: formatKobo(p.price_kobo),
    vat: p.vat,
    sku: p.sku,
    unit: p.unit,
    ...(p.hs_code ? { hs_code: p.hs_code } : {}),
    ...(p.isic_code ? { isic_code: p.isic_code } : {}),
    ...(p.isic_code && p.service_category ? { service_category: p.service_category } : {}),
  };
}

const blankDraft = (method: PaymentMethod): DraftSale => ({ id: newDraftId(), lines: [], method, tendered: '' });

export function SaleEntry({
  onCharge,
  busy,
}: {
  /** Issues the sale; `managerPin` approves a discount above the till's limit for this sale only. */
  onCharge: (sale: Sale, managerPin?: string) => Promise<boolean>;
  busy: boolean;
}) {
  const [draft, setDraft] = useState<DraftSale>(() => blankDraft('cash'));
  const [line, setLine] = useState<DraftLine>(EMPTY_LINE);
  const [showProblems, setShowProblems] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [matches, setMatches] = useState<Product[]>([]);
  const [buyerOpen, setBuyerOpen] = useState(false);
  const [done, setDone] = useState<{ total: number; paid: number; change: number } | null>(null);
  const parked = useParked();
  const [limit, setLimit] = useState(DEFAULT_CONFIRM_ABOVE_KOBO);
  const [discountLimit, setDiscountLimit] = useState<number | null>(DEFAULT_DISCOUNT_APPROVAL_ABOVE_PCT);
  const managerUnlocked = useApp((s) => s.state?.managerUnlocked ?? false);
  const [discountOn, setDiscountOn] = useState<'sale' | number>('sale');
  const [pad, setPad] = useState(() => localStorage.getItem(PAD_SHOWN) === '1');
  const [padTarget, setPadTarget] = useState<PadTarget>('price');
  const [approval, setApproval] = useState<{ sale: Sale; charged: DraftSale; reason: string } | null>(null);
  useEffect(() => {
    invoke('till.settings', {}).then(
      (r) => {
        setLimit(r.confirm_above_kobo);
        setDiscountLimit(r.discount_approval_above_pct);
      },
      () => undefined, // the default limits stay
    );
  }, []);
  const itemRef = useRef<HTMLInputElement>(null);
  const qtyRef = useRef<HTMLInputElement>(null);
  const latest = useRef({ draft, line });
  latest.current = { draft, line };

  const problems = lineProblems(line);
  const { totals, discounts, tender, error: totalsError } = useMemo(() => draftTotals(draft), [draft]);
  const lineIsBlank = !line.name.trim() && !line.price.trim();

  // The next sale starts: the last sale's change gives way; a fixed cause clears its message.
  useEffect(() => {
    if (draft.lines.length > 0 || !lineIsBlank) setDone(null);
  }, [draft.lines.length, lineIsBlank]);
  useEffect(() => setError(null), [draft, line]);

  // Catalogue search as the item name is typed (not for a line taken from the catalogue).
  useEffect(() => {
    const q = line.name.trim();
    if (line.sku || q.length < 2) {
      setMatches([]);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      invoke('catalogue.search', { query: q }).then(
        (r) => live && setMatches(r.items.slice(0, 6)),
        () => undefined,
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [line.name, line.sku]);

  const appendLine = (l: DraftLine) =>
    setDraft((d) => {
      const last = d.lines.at(-1);
      // The same counted product again (a second scan): one more on its line.
      if (last && l.sku && last.sku === l.sku && l.unit === 'each' && last.unit === 'each' && last.price === l.price)
        return { ...d, lines: [...d.lines.slice(0, -1), { ...last, quantity: String(Number(last.quantity) + Number(l.quantity)) }] };
      return { ...d, lines: [...d.lines, l] };
    });

  const addProduct = (p: Product) => {
    setMatches([]);
    if (p.unit === 'each') {
      appendLine(productLine(p, '1'));
      setLine(EMPTY_LINE);
      itemRef.current?.focus();
    } else {
      // Weighed or measured: the quantity comes from the scale.
      setLine(productLine(p, ''));
      setTimeout(() => qtyRef.current?.focus(), 0);
    }
  };

  useWedge((code) => {
    invoke('catalogue.lookup', { code }).then(
      (r) => {
        if (r.product) addProduct(r.product);
        else setError(`No product has the barcode ${code}: add it in Manager → Products, or type the item`);
      },
      (e) => setError(message(e)),
    );
  });

  const addLine = (): boolean => {
    if (Object.keys(problems).length > 0) {
      setShowProblems(true);
      return false;
    }
    appendLine({ ...line, name: line.name.trim(), quantity: line.quantity.trim(), price: normalisePrice(line.price) });
    setLine(EMPTY_LINE);
    setMatches([]);
    setShowProblems(false);
    itemRef.current?.focus();
    return true;
  };

  const charge = async () => {
    setError(null);
    let sale: Sale;
    let charged: DraftSale;
    try {
      // A half-typed line is part of the sale when it is complete; otherwise say what is missing.
      if (!lineIsBlank && Object.keys(problems).length > 0) {
        setShowProblems(true);
        return;
      }
      const lines = lineIsBlank
        ? draft.lines
        : [...draft.lines, { ...line, name: line.name.trim(), quantity: line.quantity.trim(), price: normalisePrice(line.price) }];
      charged = { ...draft, lines };
      sale = toSale(charged);
    } catch (e) {
      // The totals already say why (short, an amount that does not parse): say it once.
      if (!(draft.lines.length > 0 && totalsError)) setError(message(e));
      return;
    }
    const question = draftTotals(charged).totals ? confirmationQuestion(draftTotals(charged).totals!.taxInclusive, limit) : null;
    if (question && !window.confirm(question)) return; // nothing issued; the sale stays to be corrected
    // Main decides (it refuses without the manager); asking here first keeps the sale on screen.
    const reason = managerUnlocked ? null : discountApprovalReason(sale, discountLimit);
    if (reason) {
      setApproval({ sale, charged, reason });
      return;
    }
    await issue(sale, charged);
  };

  const issue = async (sale: Sale, charged: DraftSale, managerPin?: string) => {
    const result = draftTotals(charged);
    // The form is free for the next customer at once: the cashier never waits for the answer, and
    // typing the next sale is never wiped by the previous one completing.
    setDraft(blankDraft(draft.method));
    setLine(EMPTY_LINE);
    setShowProblems(false);
    itemRef.current?.focus();
    if (await onCharge(sale, managerPin)) {
      const now = latest.current;
      if (result.totals && result.tender && now.draft.lines.length === 0)
        setDone({ total: result.totals.taxInclusive, paid: result.tender.paid, change: result.tender.change });
    } else {
      // Not issued (the till shows why): put the sale back unless a new one is already being typed.
      const now = latest.current;
      if (now.draft.lines.length === 0 && !now.line.name.trim() && !now.line.price.trim()) setDraft(charged);
    }
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void charge();
      return;
    }
    if (e.key === 'Enter' && (e.target as HTMLElement).closest('.entry-line')) {
      e.preventDefault();
      addLine();
    }
  };

  const split = draft.split ?? [];
  const setSplit = (rows: NonNullable<DraftSale['split']>) => setDraft({ ...draft, split: rows });
  const startSplit = () => {
    // Cash first for what the customer hands over; the rest by transfer, prefilled.
    setSplit([
      { method: 'cash', amount: '' },
      { method: 'transfer', amount: '' },
    ]);
  };
  const fillRest = (i: number) => {
    if (!totals || !tender) return;
    const others = split.reduce((s, t, j) => {
      if (j === i || !t.amount.trim()) return s;
      try {
        return s + parseMoneyEntry(t.amount);
      } catch {
        return s;
      }
    }, 0);
    const rest = Math.max(0, totals.taxInclusive - others);
    setSplit(split.map((t, j) => (j === i ? { ...t, amount: formatKobo(rest) } : t)));
  };
  const tenderedProblem = draft.method === 'cash' && !split.length ? amountProblem(draft.tendered) : null;

  // The discount field edits the whole sale's discount or one line's, as chosen beside it.
  const on = discountOn !== 'sale' && discountOn < draft.lines.length ? discountOn : 'sale';
  const discountText = on === 'sale' ? (draft.discount ?? '') : (draft.lines[on]!.discount ?? '');
  const setDiscountText = (text: string) =>
    setDraft((d) =>
      on === 'sale' ? { ...d, discount: text } : { ...d, lines: d.lines.map((l, j) => (j === on ? { ...l, discount: text } : l)) },
    );
  let discountProblem: string | null = null;
  try {
    parseDiscountEntry(discountText);
  } catch (e) {
    discountProblem = (e as Error).message;
  }
  const padKey = (k: PadKey) => {
    if (padTarget === 'quantity') setLine((l) => ({ ...l, quantity: applyPadKey(l.quantity, k) }));
    else if (padTarget === 'price') setLine((l) => ({ ...l, price: applyPadKey(l.price, k) }));
    else if (padTarget === 'tendered') setDraft((d) => ({ ...d, tendered: applyPadKey(d.tendered, k) }));
    else setDiscountText(applyPadKey(discountText, k));
  };
  const togglePad = () => {
    localStorage.setItem(PAD_SHOWN, pad ? '0' : '1');
    setPad(!pad);
  };
  const p = showProblems ? problems : {};

  return (
    <section className="panel entry" aria-label="New sale" onKeyDown={onKey}>
      <header>
        <h2>New sale</h2>
        <span className="spacer" />
        <span className="help">
          <kbd>Enter</kbd> add line · <kbd>Ctrl</kbd>+<kbd>Enter</kbd> charge · scan a barcode anywhere
        </span>
        <button type="button" aria-pressed={pad} onClick={togglePad}>
          Number pad
        </button>
      </header>
      {done && (
        <div className="change-due" role="status" data-testid="change-due">
          <span>
            Paid {naira(done.paid)} of {naira(done.total)}
          </span>
          <strong data-testid="change-due-amount">{done.change > 0 ? `Change ${naira(done.change)}` : 'No change'}</strong>
        </div>
      )}
      <QuickKeys onPick={addProduct} />
      <div className="lines-wrap">
        <table className="lines">
          <colgroup>
            <col />
            <col className="c-qty" />
            <col className="c-price" />
            <col className="c-vat" />
            <col className="c-amount" />
            <col className="c-act" />
          </colgroup>
          <thead>
            <tr>
              <th>Item</th>
              <th>Qty</th>
              <th className="money">Price (₦)</th>
              <th>VAT</th>
              <th className="money">Amount</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {draft.lines.map((l, i) => (
              <tr key={i} data-testid="sale-line" data-sku={l.sku}>
                <td title={l.name}>
                  {l.name}
                  {discounts && discounts.lines[i]!.total > 0 && (
                    <span className="line-discount" data-testid="line-discount">
                      −{naira(discounts.lines[i]!.total)}
                      {l.discount?.trim() ? ` (${l.discount.trim()})` : ''}
                    </span>
                  )}
                </td>
                <td className="num">
                  {l.quantity}
                  {l.unit && l.unit !== 'each' ? ` ${l.unit}` : ''}
                </td>
                <td className="money">{naira(parseMoneyEntry(l.price))}</td>
                <td>{VAT_CHOICES.find((v) => v.key === l.vat)?.label}</td>
                <td className="money">{totals?.lines[i] ? naira(totals.lines[i].gross) : ''}</td>
                <td>
                  <button
                    type="button"
                    className="link"
                    aria-label={`Remove ${l.name}`}
                    onClick={() => setDraft((d) => ({ ...d, lines: d.lines.filter((_, j) => j !== i) }))}
                  >
                    ✕
                  </button>
                </td>
              </tr>
            ))}
            <tr className="entry-line">
              <td>
                <input
                  ref={itemRef}
                  autoFocus
                  aria-label="Item"
                  placeholder="Item name, SKU or scan"
                  value={line.name}
                  aria-invalid={!!p.name}
                  title={p.name}
                  onChange={(e) => setLine({ ...EMPTY_LINE, ...(line.sku ? {} : line), name: e.target.value })}
                />
              </td>
              <td className="w-qty">
                <input
                  ref={qtyRef}
                  aria-label="Quantity"
                  inputMode="decimal"
                  value={line.quantity}
                  aria-invalid={!!p.quantity}
                  title={p.quantity}
                  onFocus={() => setPadTarget('quantity')}
                  onChange={(e) => setLine({ ...line, quantity: e.target.value })}
                />
              </td>
              <td className="w-price">
                <input
                  aria-label="Price"
                  inputMode="decimal"
                  placeholder="0.00"
                  value={line.price}
                  aria-invalid={!!p.price}
                  title={p.price}
                  onFocus={() => setPadTarget('price')}
                  onChange={(e) => setLine({ ...line, price: e.target.value })}
                />
              </td>
              <td className="w-cat">
                <select aria-label="VAT category" value={line.vat} onChange={(e) => setLine({ ...line, vat: e.target.value as VatKey })}>
                  {VAT_CHOICES.map((v) => (
                    <option key={v.key} value={v.key}>
                      {v.label}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <button type="button" onClick={addLine}>
                  Add
                </button>
              </td>
              <td />
            </tr>
          </tbody>
        </table>
      </div>
      {matches.length > 0 && (
        <div className="matches" role="group" aria-label="Products found">
          {matches.map((m) => (
            <button type="button" key={m.id} data-testid="product-match" onClick={() => addProduct(m)}>
              {m.name} <span className="muted small">{m.sku}</span> <span className="money">{naira(m.price_kobo)}</span>
            </button>
          ))}
        </div>
      )}
      {showProblems && Object.keys(problems).length > 0 && (
        <p className="error" role="alert">
          {Object.values(problems).join('\n')}
        </p>
      )}
      <div className="row discount-row">
        <label>
          Discount on
          <select
            aria-label="Discount on"
            value={String(on)}
            onChange={(e) => setDiscountOn(e.target.value === 'sale' ? 'sale' : Number(e.target.value))}
          >
            <option value="sale">Whole sale</option>
            {draft.lines.map((l, i) => (
              <option key={i} value={String(i)}>
                {i + 1}. {l.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Discount (₦ or %)
          <input
            aria-label="Discount"
            inputMode="decimal"
            placeholder="10% or 500"
            value={discountText}
            aria-invalid={!!discountProblem}
            title={discountProblem ?? undefined}
            onFocus={() => setPadTarget('discount')}
            onChange={(e) => setDiscountText(e.target.value)}
          />
        </label>
      </div>
      {pad && (
        <div className="sale-pad" data-testid="sale-pad">
          <span className="muted small" data-testid="pad-target">
            Types into: {PAD_NAMES[padTarget]}
          </span>
          <NumberPad onKey={padKey} extra={['.', '%']} label="Sale number pad" />
        </div>
      )}
      <div className="row pay-row">
        {split.length === 0 ? (
          <>
            <label>
              Payment
              <select
                aria-label="Payment method"
                value={draft.method}
                onChange={(e) => setDraft({ ...draft, method: e.target.value as PaymentMethod })}
              >
                {PAYMENT_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {PAYMENT_LABELS[m]}
                  </option>
                ))}
              </select>
            </label>
            {draft.method === 'cash' && (
              <label>
                Cash tendered (blank = exact)
                <input
                  aria-label="Cash tendered"
                  inputMode="decimal"
                  value={draft.tendered}
                  aria-invalid={!!tenderedProblem}
                  title={tenderedProblem ?? undefined}
                  onFocus={() => setPadTarget('tendered')}
                  onChange={(e) => setDraft({ ...draft, tendered: e.target.value })}
                />
              </label>
            )}
            <button type="button" onClick={startSplit}>
              Split payment
            </button>
          </>
        ) : (
          <div className="split" role="group" aria-label="Split payment">
            {split.map((t, i) => (
              <div className="row" key={i}>
                <select
                  aria-label={`Payment ${i + 1} method`}
                  value={t.method}
                  onChange={(e) => setSplit(split.map((x, j) => (j === i ? { ...x, method: e.target.value as PaymentMethod } : x)))}
                >
                  {PAYMENT_METHODS.map((m) => (
                    <option key={m} value={m}>
                      {PAYMENT_LABELS[m]}
                    </option>
                  ))}
                </select>
                <input
                  aria-label={`Payment ${i + 1} amount`}
                  inputMode="decimal"
                  placeholder="0.00"
                  value={t.amount}
                  aria-invalid={!!amountProblem(t.amount)}
                  onChange={(e) => setSplit(split.map((x, j) => (j === i ? { ...x, amount: e.target.value } : x)))}
                />
                <button type="button" onClick={() => fillRest(i)}>
                  Rest
                </button>
                <button type="button" aria-label={`Remove payment ${i + 1}`} onClick={() => setSplit(split.filter((_, j) => j !== i))}>
                  ✕
                </button>
              </div>
            ))}
            <div className="row">
              <button type="button" onClick={() => setSplit([...split, { method: 'card', amount: '' }])}>
                Add payment
              </button>
              <button type="button" onClick={() => setDraft({ ...draft, split: [] })}>
                One payment
              </button>
            </div>
          </div>
        )}
        <span className="spacer" />
        {draft.customer ? (
          <span className="buyer-chip" data-testid="buyer">
            B2B: {draft.customer.name} · {draft.customer.tin}{' '}
            <button type="button" className="link" onClick={() => setDraft({ ...draft, customer: null })}>
              remove
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setBuyerOpen(true)}>
            B2B buyer…
          </button>
        )}
      </div>
      {buyerOpen && (
        <BuyerPicker
          onClose={() => setBuyerOpen(false)}
          onPick={(party) => {
            setDraft((d) => ({ ...d, customer: party }));
            setBuyerOpen(false);
          }}
        />
      )}
      {approval && (
        <ManagerApproval
          reason={approval.reason}
          onCancel={() => setApproval(null)}
          onApprove={(pin) => {
            const { sale, charged } = approval;
            setApproval(null);
            void issue(sale, charged, pin);
          }}
        />
      )}
      <div className="totals" aria-live="polite">
        {discounts && discounts.total > 0 && (
          <>
            <span className="muted">Discount</span>
            <span className="money" data-testid="total-discount">
              −{naira(discounts.total)}
            </span>
          </>
        )}
        <span className="muted">Net</span>
        <span className="money" data-testid="total-net">
          {naira(totals?.taxExclusive ?? 0)}
        </span>
        <span className="muted">VAT</span>
        <span className="money" data-testid="total-vat">
          {naira(totals?.taxTotal ?? 0)}
        </span>
        <span>Total</span>
        <span className="money grand" data-testid="total-payable">
          {naira(totals?.taxInclusive ?? 0)}
        </span>
        {tender && (split.length > 0 || draft.tendered.trim()) && (
          <>
            <span className="muted">Paid</span>
            <span className="money" data-testid="total-paid">
              {naira(tender.paid)}
            </span>
            <span className="muted">Left to pay</span>
            <span className="money" data-testid="total-remaining">
              {naira(tender.remaining)}
            </span>
          </>
        )}
        {totals && totals.change > 0 && (
          <>
            <span className="muted">Change</span>
            <span className="money" data-testid="total-change">
              {naira(totals.change)}
            </span>
          </>
        )}
      </div>
      {draft.lines.length > 0 && totalsError && (
        <p className="error" role="alert" data-testid="sale-problem">
          {totalsError}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="entry-error">
          {error}
        </p>
      )}
      <div className="row">
        <span className="spacer" style={{ flex: 1 }} />
        {parked.items.map((p) => (
          <button
            type="button"
            key={p.draft.id}
            data-testid="resume"
            disabled={draft.lines.length > 0 || !lineIsBlank}
            title={draft.lines.length > 0 ? 'Park or charge the sale on screen first' : undefined}
            onClick={() => {
              const back = parked.take(p.draft.id);
              if (!back) return;
              setDraft(back.draft);
              setLine(back.line);
            }}
          >
            Resume {p.label}
          </button>
        ))}
        <button
          type="button"
          disabled={draft.lines.length === 0 && lineIsBlank}
          onClick={() => {
            // Put aside as it is (lines, payment, buyer, the half-typed line); the screen is free.
            const at = Date.now();
            const time = new Date(at + 3600_000).toISOString().slice(11, 16); // Lagos wall clock
            parked.park({ draft, line, parkedAt: at, label: `${time} ${totals ? naira(totals.taxInclusive) : ''}`.trim() });
            setDraft(blankDraft(draft.method));
            setLine(EMPTY_LINE);
            itemRef.current?.focus();
          }}
        >
          Park
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft(blankDraft(draft.method));
            setLine(EMPTY_LINE);
            setError(null);
            // The last sale's message goes with it (it used to survive Clear).
            useTill.setState({ error: null, notice: null });
          }}
        >
          Clear
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || (draft.lines.length === 0 && lineIsBlank)}
          onClick={() => void charge()}
        >
          Charge {totals ? naira(totals.taxInclusive) : ''}
        </button>
      </div>
    </section>
  );
}
