// Register link: the links to cash registers (state, captures) and "test this template": a
// pasted or captured receipt parsed line by line with the template being edited, showing which
// field claimed each line and highlighting the lines nothing matched, then what would happen.
import { useEffect, useState } from 'react';
import { invoke } from '../../api/client';
import type { RegisterLinkView, TemplateTestView } from '../../../../shared/ipc/contract';
import { message } from '../../lib/errors';
import { handleLocked } from '../../stores/invoices';
import { naira as formatNaira } from '../../lib/format';

type Template = RegisterLinkView['settings']['templates'][number];
type Receipt = TemplateTestView['receipts'][number];

const FIELD_LABEL: Record<string, string> = {
  item: 'item',
  total: 'total',
  subtotal: 'subtotal',
  tax: 'tax',
  payment: 'payment',
  change: 'change',
  receipt_no: 'receipt no.',
  date: 'date',
  ignore: 'ignored',
  noise: 'before start',
  not_sale: 'not a sale',
};

function stateBadge(state: string): string {
  return state === 'connected' || state === 'listening' ? 'ok' : state === 'connecting' ? 'warn' : 'bad';
}

function Parse({ r }: { r: Receipt }) {
  const unmatched = r.lines.filter((l) => l.field === null && l.text.trim()).length;
  return (
    <div className="stack" data-testid="template-result">
      <p data-testid="template-outcome" className={r.outcome === 'sale' ? 'notice' : 'error'}>
        {r.outcome === 'sale' && r.totals
          ? `Reconciles: would issue ${r.externalId} — total ${formatNaira(r.totals.payable)}, VAT ${formatNaira(r.totals.tax)}${r.totals.change ? `, change ${formatNaira(r.totals.change)}` : ''}`
          : r.outcome === 'not_sale'
            ? `Not a sale: ${r.reasons.join('; ')}`
            : `Would go to review: ${r.reasons.join('; ')}`}
      </p>
      <p className="small muted">
        {r.lines.length} lines · {unmatched} not matched (highlighted) · {r.items.length} item{r.items.length === 1 ? '' : 's'}
        {r.missing.length ? ` · missing: ${r.missing.join(', ')}` : ''}
      </p>
      <table className="tl-lines" aria-label="Parsed lines">
        <tbody>
          {r.lines.map((l) => {
            const cls =
              l.field === null
                ? l.text.trim()
                  ? 'tl-unmatched'
                  : 'tl-blank'
                : l.field === 'ignore' || l.field === 'noise'
                  ? 'tl-ignored'
                  : 'tl-matched';
            return (
              <tr key={l.index} className={cls} data-field={l.field ?? 'unmatched'}>
                <td className="num muted">{l.index + 1}</td>
                <td>
                  <code>{l.text || ' '}</code>
                </td>
                <td className="tl-field">
                  {l.field === null ? (
                    l.text.trim() ? (
                      <span className="badge bad">no match</span>
                    ) : null
                  ) : (
                    <span className={`badge ${cls === 'tl-matched' ? 'ok' : 'neutral'}`}>
                      {l.continued ? '↳ ' : ''}
                      {FIELD_LABEL[l.field] ?? l.field}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {r.items.length > 0 && (
        <table className="tl-items" aria-label="Items read">
          <thead>
            <tr>
              <th>Item</th>
              <th>Qty</th>
              <th>Unit price</th>
              <th>Amount</th>
              <th>Tax class</th>
            </tr>
          </thead>
          <tbody>
            {r.items.map((it, i) => (
              <tr key={i}>
                <td>{it.name}</td>
                <td className="num">{it.qty ?? '1'}</td>
                <td className="num">{it.unit_price ?? '–'}</td>
                <td className="num">{it.amount}</td>
                <td>{it.tax_class ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="small">
        {Object.entries(r.fields).map(([k, v]) => (
          <span key={k} className="badge info" style={{ marginRight: 6 }}>
            {k}: {v}
          </span>
        ))}
        {r.taxes.map((t, i) => (
          <span key={`t${i}`} className="badge info" style={{ marginRight: 6 }}>
            tax{t.rate ? ` ${t.rate}%` : ''}: {t.amount}
            {t.net ? ` (net ${t.net})` : ''}
          </span>
        ))}
        {r.payments.map((p, i) => (
          <span key={`p${i}`} className="badge info" style={{ marginRight: 6 }}>
            {p.method ?? 'payment'}: {p.amount}
          </span>
        ))}
      </p>
    </div>
  );
}

export function RegisterLink() {
  const [view, setView] = useState<RegisterLinkView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [templateId, setTemplateId] = useState<string>('');
  const [templateJson, setTemplateJson] = useState('');
  const [text, setText] = useState('');
  const [captureId, setCaptureId] = useState<number | null>(null);
  const [result, setResult] = useState<TemplateTestView | null>(null);
  const [busy, setBusy] = useState(false);

  const load = () =>
    invoke('registerLink.get', {}).then(
      (v) => {
        setView(v);
        if (!templateId && v.settings.templates[0]) pick(v.settings.templates[0]);
      },
      (e) => {
        if (!handleLocked(e)) setError(message(e));
      },
    );
  useEffect(() => {
    void load();
  }, []);

  function pick(t: Template) {
    setTemplateId(t.id);
    setTemplateJson(JSON.stringify(t, null, 2));
    setResult(null);
  }

  const parsedTemplate = (): Template | null => {
    try {
      return JSON.parse(templateJson) as Template; // validated by main against the template schema
    } catch (e) {
      setError(`template: not valid JSON (${(e as Error).message})`);
      return null;
    }
  };

  const test = async () => {
    setError(null);
    setNotice(null);
    const template = parsedTemplate();
    if (!template) return;
    setBusy(true);
    try {
      setResult(await invoke('registerLink.testTemplate', captureId !== null ? { template, captureId } : { template, text }));
    } catch (e) {
      if (!handleLocked(e)) setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const saveTemplate = async () => {
    setError(null);
    setNotice(null);
    const template = parsedTemplate();
    if (!template || !view) return;
    try {
      const templates = [...view.settings.templates.filter((t) => t.id !== template.id), template];
      setView(await invoke('registerLink.save', { templates }));
      setNotice(`Template ${template.id} saved`);
    } catch (e) {
      if (!handleLocked(e)) setError(message(e));
    }
  };

  if (!view) return error ? <p className="error">{error}</p> : <p>Loading…</p>;
  return (
    <div className="stack">
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <section className="panel stack" aria-label="Register links">
        <h3>Register links</h3>
        {view.settings.links.length === 0 ? (
          <p className="muted">
            No register is linked. Add one with <code>taxpoynt-pos register-link add</code>.
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Link</th>
                <th>Mode</th>
                <th>Port</th>
                <th>State</th>
                <th className="num">Issued</th>
                <th className="num">Review</th>
                <th className="num">Rejected</th>
              </tr>
            </thead>
            <tbody>
              {view.settings.links.map((l) => {
                const st = view.status.find((s) => s.id === l.id);
                return (
                  <tr key={l.id} data-testid={`link-${l.id}`}>
                    <td>
                      {l.id}
                      {l.enabled ? '' : ' (off)'}
                    </td>
                    <td>{l.mode === 'print' ? `print capture (${l.template ?? '?'})` : 'sale messages'}</td>
                    <td>
                      <code>
                        {l.port.kind === 'serial'
                          ? `${l.port.path} ${l.port.baudRate} ${l.port.dataBits}${l.port.parity[0]!.toUpperCase()}${l.port.stopBits}`
                          : `tcp ${l.port.host}:${l.port.port}`}
                      </code>
                    </td>
                    <td>
                      {st ? (
                        <span className={`badge ${stateBadge(st.state)}`}>{st.state}</span>
                      ) : (
                        <span className="badge neutral">not running</span>
                      )}{' '}
                      <span className="small muted">{st?.message ?? ''}</span>
                    </td>
                    <td className="num">{st?.counts.issued ?? ''}</td>
                    <td className="num">{st?.counts.review ?? ''}</td>
                    <td className="num">{st?.counts.rejected ?? ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <p className="small muted">
          Serial ports on this computer: {view.ports.length ? view.ports.map((p) => p.path).join(', ') : 'none found'}
        </p>
      </section>
      <section className="panel stack" aria-label="Test this template">
        <h3>Test this template</h3>
        <div className="row">
          <label>
            Template
            <select
              aria-label="Template"
              value={templateId}
              onChange={(e) => {
                const t = view.settings.templates.find((x) => x.id === e.target.value);
                if (t) pick(t);
              }}
            >
              {view.settings.templates.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({t.id})
                </option>
              ))}
            </select>
          </label>
          <label>
            Receipt
            <select
              value={captureId ?? ''}
              onChange={(e) => setCaptureId(e.target.value ? Number(e.target.value) : null)}
              aria-label="Captured receipt"
            >
              <option value="">pasted below</option>
              {view.captures
                .filter((c) => c.mode === 'print')
                .map((c) => (
                  <option key={c.id} value={c.id}>
                    #{c.id} {c.link} {c.status}
                    {c.externalId ? ` ${c.externalId}` : ''}
                  </option>
                ))}
            </select>
          </label>
        </div>
        <div className="grid2 tl-editors">
          <label>
            Template (regular expressions with named groups; JSON)
            <textarea
              className="tl-json"
              spellCheck={false}
              value={templateJson}
              onChange={(e) => setTemplateJson(e.target.value)}
              rows={16}
            />
          </label>
          <label>
            Receipt text (paste what the register printed)
            <textarea
              className="tl-text"
              spellCheck={false}
              value={text}
              disabled={captureId !== null}
              onChange={(e) => setText(e.target.value)}
              rows={16}
              placeholder="RECEIPT NO: 000123…"
            />
          </label>
        </div>
        <div className="row">
          <button type="button" className="primary" disabled={busy} onClick={() => void test()}>
            Test this template
          </button>
          <button type="button" onClick={() => void saveTemplate()}>
            Save template
          </button>
        </div>
        {result && result.receipts.length > 1 && (
          <p className="small muted">{result.receipts.length} receipts in this capture; the first is shown.</p>
        )}
        {result?.receipts[0] && <Parse r={result.receipts[0]} />}
      </section>
    </div>
  );
}
