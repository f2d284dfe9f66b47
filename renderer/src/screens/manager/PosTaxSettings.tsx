// A POS connection's currency, tax mapping (vendor tax id or name → FIRS category and rate) and
// foreign-currency invoicing (issue #13). Stored in the connection's settings (mapOptions) through
// settings.update; the rows are checked with the same schema the mappers use before saving.
import { useState } from 'react';
import type { Request, SettingsView } from '../../../../shared/ipc/contract';
import { ForeignCurrencySchema, TaxMappingSchema, type TaxMapping } from '../../../../shared/capture/outcome';
import { OTHER_TAX_CATEGORIES, TAX_CATEGORIES } from '../../../../shared/domain/sale';

type Update = Request<'settings.update'>;
type Vendor = NonNullable<Update['pos']>['vendor'];
interface Row {
  key: string;
  category: string;
  rate: string;
  name: string;
}

const CATEGORIES = [...TAX_CATEGORIES, ...OTHER_TAX_CATEGORIES];

function rowsOf(taxMap: unknown): Row[] {
  if (!taxMap || typeof taxMap !== 'object') return [];
  return Object.entries(taxMap as Record<string, TaxMapping>).map(([key, m]) => ({
    key,
    category: m.category,
    rate: m.rate,
    name: m.name ?? '',
  }));
}

export function PosTaxSettings({ pos, save }: { pos: SettingsView['pos'][number]; save: (u: Update, what: string) => Promise<void> }) {
  const mapOptions = (pos.config?.mapOptions ?? {}) as Record<string, unknown>;
  const fx = ForeignCurrencySchema.safeParse(mapOptions.foreignCurrency ?? {});
  const [rows, setRows] = useState<Row[]>(() => rowsOf(mapOptions.taxMap));
  const [currency, setCurrency] = useState(typeof mapOptions.currency === 'string' ? mapOptions.currency : 'NGN');
  const [fxOn, setFxOn] = useState(fx.success ? fx.data.enabled : false);
  const [fxRates, setFxRates] = useState(JSON.stringify(fx.success ? fx.data.rates : {}, null, 0));
  const [problem, setProblem] = useState<string | null>(null);
  const label = `${pos.vendor} tax mapping`;
  const set = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const submit = () => {
    setProblem(null);
    const taxMap: Record<string, TaxMapping> = {};
    for (const [i, r] of rows.entries()) {
      const key = r.key.trim();
      if (!key) {
        setProblem(`row ${i + 1}: give the POS tax id or name`);
        return;
      }
      const parsed = TaxMappingSchema.safeParse({
        category: r.category,
        rate: r.rate.trim(),
        ...(r.name.trim() ? { name: r.name.trim() } : {}),
      });
      if (!parsed.success) {
        setProblem(`${key}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'mapping'} ${x.message}`).join('; ')}`);
        return;
      }
      taxMap[key] = parsed.data;
    }
    if (!/^[A-Z]{3}$/.test(currency)) {
      setProblem('currency: must be an ISO 4217 code like NGN');
      return;
    }
    let rates: unknown;
    try {
      rates = JSON.parse(fxRates || '{}');
    } catch {
      setProblem('exchange rates: not JSON, e.g. {"USD":{"rate":"1530.25","source":"CBN","date":"2026-11-23"}}');
      return;
    }
    const foreign = ForeignCurrencySchema.safeParse({ enabled: fxOn, rates });
    if (!foreign.success) {
      setProblem(`exchange rates: ${foreign.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
      return;
    }
    void save(
      { pos: { vendor: pos.vendor as Vendor, config: { mapOptions: { ...mapOptions, currency, taxMap, foreignCurrency: foreign.data } } } },
      label,
    );
  };

  return (
    <div className="stack" role="group" aria-label={label}>
      <h4>{pos.vendor}: currency and taxes</h4>
      <p className="small muted">
        Each POS tax by its id or name. Unmapped taxes send the sale to review; only a 7.5 % tax named VAT is standard VAT without a
        mapping.
      </p>
      <table>
        <thead>
          <tr>
            <th>POS tax id or name</th>
            <th>FIRS category</th>
            <th>Rate %</th>
            <th>Label (non-VAT)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>
                <input aria-label={`tax ${i + 1} id or name`} value={r.key} onChange={(e) => set(i, { key: e.target.value })} />
              </td>
              <td>
                <select aria-label={`tax ${i + 1} category`} value={r.category} onChange={(e) => set(i, { category: e.target.value })}>
                  {CATEGORIES.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  aria-label={`tax ${i + 1} rate`}
                  inputMode="decimal"
                  value={r.rate}
                  onChange={(e) => set(i, { rate: e.target.value })}
                />
              </td>
              <td>
                <input aria-label={`tax ${i + 1} label`} value={r.name} onChange={(e) => set(i, { name: e.target.value })} />
              </td>
              <td>
                <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="grid2">
        <label>
          Connection currency
          <input aria-label={`${pos.vendor} currency`} value={currency} onChange={(e) => setCurrency(e.target.value.toUpperCase())} />
        </label>
        <label>
          <input
            type="checkbox"
            aria-label={`${pos.vendor} foreign-currency invoicing`}
            checked={fxOn}
            onChange={(e) => setFxOn(e.target.checked)}
          />{' '}
          Foreign-currency invoicing (tax currency NGN)
        </label>
        <label>
          NGN exchange rates (JSON by currency)
          <input aria-label={`${pos.vendor} exchange rates`} value={fxRates} onChange={(e) => setFxRates(e.target.value)} />
        </label>
      </div>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <div className="row">
        <button type="button" onClick={() => setRows([...rows, { key: '', category: 'STANDARD_VAT', rate: '7.5', name: '' }])}>
          Add tax
        </button>
        <button type="button" onClick={submit}>
          Save taxes
        </button>
      </div>
    </div>
  );
}
