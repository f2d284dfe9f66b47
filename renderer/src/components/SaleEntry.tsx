// Manual sale entry, keyboard first: type item, Tab, qty, Tab, price, Tab, VAT, Enter adds the
// line and returns to the item field; Ctrl+Enter charges. Totals are exact kobo, live.
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { PAYMENT_METHODS, type PaymentMethod } from '../../../shared/domain/payment-means';
import {
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
import { parseKobo } from '../../../shared/domain/money';
import type { Sale } from '../../../shared/domain/sale';
import { toSale } from '../lib/sale-draft';
import { message } from '../lib/errors';

const EMPTY_LINE: DraftLine = { name: '', quantity: '1', price: '', vat: 'STANDARD_VAT' };

export function SaleEntry({ onCharge, busy }: { onCharge: (sale: Sale) => Promise<boolean>; busy: boolean }) {
  const [draft, setDraft] = useState<DraftSale>(() => ({ id: newDraftId(), lines: [], method: 'cash', tendered: '' }));
  const [line, setLine] = useState<DraftLine>(EMPTY_LINE);
  const [showProblems, setShowProblems] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const itemRef = useRef<HTMLInputElement>(null);
  const latest = useRef({ draft, line });
  latest.current = { draft, line };

  const problems = lineProblems(line);
  const { totals, error: totalsError } = useMemo(() => draftTotals(draft), [draft]);
  const lineIsBlank = !line.name.trim() && !line.price.trim();

  const addLine = (): boolean => {
    if (Object.keys(problems).length > 0) {
      setShowProblems(true);
      return false;
    }
    setDraft((d) => ({
      ...d,
      lines: [...d.lines, { ...line, name: line.name.trim(), quantity: line.quantity.trim(), price: normalisePrice(line.price) }],
    }));
    setLine({ ...EMPTY_LINE, vat: line.vat });
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
      setError(message(e));
      return;
    }
    // The form is free for the next customer at once: the cashier never waits for the answer, and
    // typing the next sale is never wiped by the previous one completing.
    setDraft({ id: newDraftId(), lines: [], method: draft.method, tendered: '' });
    setLine({ ...EMPTY_LINE });
    setShowProblems(false);
    itemRef.current?.focus();
    if (!(await onCharge(sale))) {
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

  const tenderedProblem = (() => {
    if (draft.method !== 'cash' || !draft.tendered.trim()) return null;
    try {
      parseKobo(draft.tendered.trim().replaceAll(',', ''), 'tendered');
      return null;
    } catch {
      return 'Amount like 20000 or 20000.50';
    }
  })();
  const p = showProblems ? problems : {};

  return (
    <section className="panel entry" aria-label="New sale" onKeyDown={onKey}>
      <header>
        <h2>New sale</h2>
        <span className="spacer" />
        <span className="help">
          <kbd>Enter</kbd> add line · <kbd>Ctrl</kbd>+<kbd>Enter</kbd> charge
        </span>
      </header>
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
            <tr key={i} data-testid="sale-line">
              <td>{l.name}</td>
              <td className="num">{l.quantity}</td>
              <td className="money">{naira(parseKobo(l.price))}</td>
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
                placeholder="Item name"
                value={line.name}
                aria-invalid={!!p.name}
                title={p.name}
                onChange={(e) => setLine({ ...line, name: e.target.value })}
              />
            </td>
            <td className="w-qty">
              <input
                aria-label="Quantity"
                inputMode="decimal"
                value={line.quantity}
                aria-invalid={!!p.quantity}
                title={p.quantity}
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
      {showProblems && Object.keys(problems).length > 0 && (
        <p className="error" role="alert">
          {Object.values(problems).join('\n')}
        </p>
      )}
      <div className="row" style={{ marginTop: 10 }}>
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
              onChange={(e) => setDraft({ ...draft, tendered: e.target.value })}
            />
          </label>
        )}
      </div>
      <div className="totals" aria-live="polite">
        {totals && (
          <>
            <span className="muted">Net</span>
            <span className="money" data-testid="total-net">
              {naira(totals.taxExclusive)}
            </span>
            <span className="muted">VAT</span>
            <span className="money" data-testid="total-vat">
              {naira(totals.taxTotal)}
            </span>
            <span>Total</span>
            <span className="money grand" data-testid="total-payable">
              {naira(totals.taxInclusive)}
            </span>
            {totals.change > 0 && (
              <>
                <span className="muted">Change</span>
                <span className="money" data-testid="total-change">
                  {naira(totals.change)}
                </span>
              </>
            )}
          </>
        )}
      </div>
      {draft.lines.length > 0 && totalsError && (
        <p className="error" role="alert">
          {totalsError}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <span className="spacer" style={{ flex: 1 }} />
        <button
          type="button"
          onClick={() => {
            setDraft({ id: newDraftId(), lines: [], method: draft.method, tendered: '' });
            setLine({ ...EMPTY_LINE });
            setError(null);
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
