// Settings: business, keys, terminal, connections (each with "test connection"), printer with a
// test print, serial port, manager PIN. Secrets go in once and are never shown again (only "set").
import { useEffect, useState, type ReactNode } from 'react';
import { invoke } from '../../api/client';
import type { Request, Response, SettingsView } from '../../../../shared/ipc/contract';
import { BusinessSchema } from '../../../../shared/domain/business';
import { message } from '../../lib/errors';
import { splitFieldErrors } from '../../lib/field-errors';
import { handleLocked } from '../../stores/invoices';
import { keysFileProblem } from '../Setup';
import { PosTaxSettings } from './PosTaxSettings';
import { CrmConnection } from './CrmConnection';
import { POS_FIELD_KEYS, PosConnection } from './PosConnection';

type Target = Request<'settings.testConnection'>['target'];
type Update = Request<'settings.update'>;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="panel stack" aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

export function TestButton({ target }: { target: Target }) {
  const [r, setR] = useState<Response<'settings.testConnection'> | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setR(null);
    try {
      setR(await invoke('settings.testConnection', { target }));
    } catch (e) {
      if (!handleLocked(e)) setR({ ok: false, message: message(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="row">
      <button type="button" disabled={busy} onClick={() => void run()}>
        Test connection
      </button>
      {r && (
        <span className={`badge ${r.ok ? 'ok' : 'bad'}`} data-testid={`test-${target}`}>
          {r.ok ? 'OK' : 'Failed'}: {r.message}
          {r.latencyMs !== undefined ? ` (${Math.round(r.latencyMs)} ms)` : ''}
        </span>
      )}
    </span>
  );
}

/** "Check with FIRS": validates (never signs) sample invoices built from this setup; every problem with its field path. */
function FirsCheckButton() {
  const [r, setR] = useState<Response<'firs.check'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setR(null);
    setError(null);
    try {
      setR(await invoke('firs.check', {}));
    } catch (e) {
      if (!handleLocked(e)) setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stack" data-testid="firs-check">
      <span className="row">
        <button type="button" disabled={busy} onClick={() => void run()}>
          {busy ? 'Checking…' : 'Check with FIRS'}
        </button>
        {r && (
          <span className={`badge ${r.ok ? 'ok' : 'bad'}`} data-testid="firs-check-result">
            {r.ok ? 'Everything passed' : 'Problems found'}
          </span>
        )}
        {error && <span className="badge bad">{error}</span>}
      </span>
      {r && (
        <ul className="small">
          {r.steps.map((st) => (
            <li key={st.name}>
              <span className={`badge ${st.ok ? 'ok' : 'bad'}`}>{st.ok ? 'ok' : 'fail'}</span> {st.name}
              {st.note ? `: ${st.note}` : ''}
              {st.problems.length > 0 && (
                <ul>
                  {st.problems.map((p, i) => (
                    <li key={i}>
                      {p.path ? <code>{p.path}</code> : null}
                      {p.path ? ': ' : ''}
                      {p.message}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const SET = (b: boolean) => (b ? <span className="badge ok">stored</span> : <span className="badge neutral">not set</span>);

export function Settings() {
  const [s, setS] = useState<SettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [form, setForm] = useState<Record<string, string>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const f = (k: string) => form[k] ?? '';
  // Editing a field clears its own error (the cause is being fixed).
  const setF = (k: string, v: string) => {
    setForm({ ...form, [k]: v });
    if (fieldErrors[k]) setFieldErrors(({ [k]: _gone, ...others }) => others);
  };
  /** Props for an input whose error shows next to it. */
  const errFor = (k: string) =>
    fieldErrors[k] ? { 'aria-invalid': true as const, 'aria-describedby': `err-${k.replace(/\W/g, '-')}` } : {};
  const FieldError = ({ k }: { k: string }) =>
    fieldErrors[k] ? (
      <span className="error small field-error" id={`err-${k.replace(/\W/g, '-')}`} data-testid={`field-error-${k}`}>
        {fieldErrors[k]}
      </span>
    ) : null;
  /** A problem from a check or the service: field parts next to their fields, the rest on top. */
  const showError = (text: string, what?: string) => {
    const split = splitFieldErrors(text, POS_FIELD_KEYS);
    setFieldErrors(split.fields);
    setError(split.general && (what ? `${what}: ${split.general}` : split.general));
  };

  useEffect(() => {
    invoke('settings.get', {}).then(setS, (e) => {
      if (!handleLocked(e)) setError(message(e));
    });
  }, []);

  /** Resolves true when main accepted the update (a panel then empties what was typed). */
  const saveChecked = async (update: Update, what: string): Promise<boolean> => {
    setError(null);
    setFieldErrors({});
    setNotice(null);
    try {
      setS(await invoke('settings.update', update));
      setNotice(`${what} saved`);
      setForm({});
      return true;
    } catch (e) {
      if (!handleLocked(e)) showError(message(e), what);
      return false;
    }
  };
  const save = async (update: Update, what: string): Promise<void> => {
    await saveChecked(update, what);
  };

  if (!s) return error ? <p className="error">{error}</p> : <p>Loading…</p>;
  const b = s.business;
  const val = (k: string, fallback: string | null | undefined) => form[k] ?? fallback ?? '';

  const saveBusiness = () => {
    if (!b) return;
    const next = {
      ...b,
      name: val('b.name', b.name),
      tin: val('b.tin', b.tin),
      email: val('b.email', b.email),
      terminal: val('b.terminal', b.terminal),
      service_id: val('b.service_id', b.service_id),
      business_id: val('b.business_id', b.business_id),
    };
    const r = BusinessSchema.safeParse(next);
    if (!r.success) {
      showError(r.error.issues.map((i) => `business.${String(i.path[0])}: ${i.message}`).join('; '), 'Business');
      return;
    }
    void save({ business: r.data }, 'Business');
  };
  const chooseKeys = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    const problem = keysFileProblem(text);
    if (problem) {
      showError(`cryptoKeys: ${problem}`);
      return;
    }
    void save({ cryptoKeys: text }, 'Keys');
  };

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
      <Section title="Business and terminal">
        {b ? (
          <div className="grid2">
            {(
              [
                ['name', 'Business name'],
                ['tin', 'TIN'],
                ['email', 'Email'],
                ['business_id', 'FIRS business id'],
                ['service_id', 'Service id'],
                ['terminal', 'Terminal code'],
              ] as const
            ).map(([k, label]) => (
              <label key={k}>
                {label}
                <input value={val(`b.${k}`, b[k])} onChange={(e) => setF(`b.${k}`, e.target.value)} {...errFor(`b.${k}`)} />
                <FieldError k={`b.${k}`} />
              </label>
            ))}
          </div>
        ) : (
          <p className="muted">Not set up.</p>
        )}
        <div className="row">
          <button type="button" onClick={saveBusiness} disabled={!b}>
            Save business
          </button>
        </div>
      </Section>
      <Section title="FIRS crypto keys">
        <p className="small">Keys {s.keysLoaded ? <span className="badge ok">loaded</span> : <span className="badge bad">missing</span>}</p>
        <label>
          Replace crypto_keys.txt
          <input
            type="file"
            accept=".txt,text/plain,application/json"
            onChange={(e) => void chooseKeys(e.target.files?.[0])}
            {...errFor('keys')}
          />
          <FieldError k="keys" />
        </label>
      </Section>
      <Section title="FIRS / NRS connection">
        <div className="grid2">
          <label>
            Base URL
            <input
              placeholder={s.firs.baseUrl ?? 'https://…'}
              value={f('firs.baseUrl')}
              onChange={(e) => setF('firs.baseUrl', e.target.value)}
              {...errFor('firs.baseUrl')}
            />
            <FieldError k="firs.baseUrl" />
          </label>
          <span />
          <label>
            API key {SET(s.firs.apiKeySet)}
            <input type="password" autoComplete="off" value={f('firs.apiKey')} onChange={(e) => setF('firs.apiKey', e.target.value)} />
          </label>
          <label>
            API secret {SET(s.firs.apiSecretSet)}
            <input
              type="password"
              autoComplete="off"
              value={f('firs.apiSecret')}
              onChange={(e) => setF('firs.apiSecret', e.target.value)}
            />
          </label>
        </div>
        <div className="row">
          <button
            type="button"
            onClick={() =>
              void save(
                {
                  firs: {
                    ...(f('firs.baseUrl') ? { baseUrl: f('firs.baseUrl') } : {}),
                    ...(f('firs.apiKey') ? { apiKey: f('firs.apiKey') } : {}),
                    ...(f('firs.apiSecret') ? { apiSecret: f('firs.apiSecret') } : {}),
                  },
                },
                'FIRS connection',
              )
            }
          >
            Save
          </button>
          <TestButton target="firs" />
        </div>
        <FirsCheckButton />
      </Section>
      <Section title="TaxPoynt cloud">
        <div className="grid2">
          <label>
            Base URL
            <input
              placeholder={s.cloud.baseUrl ?? 'https://…'}
              value={f('cloud.baseUrl')}
              onChange={(e) => setF('cloud.baseUrl', e.target.value)}
              {...errFor('cloud.baseUrl')}
            />
            <FieldError k="cloud.baseUrl" />
          </label>
          <label>
            Token {SET(s.cloud.tokenSet)}
            <input type="password" autoComplete="off" value={f('cloud.token')} onChange={(e) => setF('cloud.token', e.target.value)} />
          </label>
        </div>
        <div className="row">
          <button
            type="button"
            onClick={() =>
              void save(
                {
                  cloud: {
                    ...(f('cloud.baseUrl') ? { baseUrl: f('cloud.baseUrl') } : {}),
                    ...(f('cloud.token') ? { token: f('cloud.token') } : {}),
                  },
                },
                'Cloud connection',
              )
            }
          >
            Save
          </button>
          <TestButton target="cloud" />
        </div>
      </Section>
      <Section title="Point of sale connections">
        <p className="small">
          Each point of sale whose sales become invoices here. Fields marked * are needed; tokens and secrets are stored encrypted and never
          shown again. OAuth apps connect with <code>taxpoynt-pos connect &lt;vendor&gt; --authorize</code>.
        </p>
        {s.pos
          .filter((p) => p.kind === 'pos')
          .map((p) => (
            <PosConnection
              key={p.vendor}
              pos={p}
              save={saveChecked}
              errors={fieldErrors}
              onEdit={(k) => {
                if (fieldErrors[k]) setFieldErrors(({ [k]: _gone, ...others }) => others);
              }}
            />
          ))}
        {s.pos
          .filter((p) => p.config && p.kind !== 'crm')
          .map((p) => (
            <PosTaxSettings key={p.vendor} pos={p} save={save} />
          ))}
      </Section>
      <Section title="CRM connections">
        <p className="small">
          Won deals in these CRMs become B2B invoices, cleared before the buyer gets them. Tokens and secrets are stored encrypted and never
          shown again.
        </p>
        {s.pos
          .filter((p) => p.kind === 'crm')
          .map((p) => (
            <CrmConnection key={p.vendor} crm={p} save={save} />
          ))}
      </Section>
      <Section title="Receipt printer">
        <div className="grid2">
          <label>
            Connection
            <input
              placeholder="virtual, tcp://host:9100, /dev/usb/lp0"
              value={val('printer.interface', s.printer.interface)}
              onChange={(e) => setF('printer.interface', e.target.value)}
              {...errFor('printer.interface')}
            />
            <FieldError k="printer.interface" />
          </label>
          <label>
            Paper
            <select value={val('printer.width', String(s.printer.width))} onChange={(e) => setF('printer.width', e.target.value)}>
              <option value="80">80 mm</option>
              <option value="58">58 mm</option>
            </select>
          </label>
          <label>
            Command set
            <select value={val('printer.type', s.printer.type)} onChange={(e) => setF('printer.type', e.target.value)}>
              <option value="epson">Epson</option>
              <option value="star">Star</option>
            </select>
          </label>
        </div>
        <div className="row">
          <button
            type="button"
            onClick={() =>
              void save(
                {
                  printer: {
                    ...s.printer,
                    interface: val('printer.interface', s.printer.interface),
                    width: val('printer.width', String(s.printer.width)) === '58' ? 58 : 80,
                    type: val('printer.type', s.printer.type) === 'star' ? 'star' : 'epson',
                  },
                },
                'Printer',
              )
            }
          >
            Save printer
          </button>
          <PrinterTest />
          <TestButton target="printer" />
        </div>
      </Section>
      <Section title="Serial cash register">
        <div className="grid2">
          <label>
            Port
            <input
              placeholder={s.serial.path ?? '/dev/ttyUSB0 or COM3'}
              value={f('serial.path')}
              onChange={(e) => setF('serial.path', e.target.value)}
              {...errFor('serial.path')}
            />
            <FieldError k="serial.path" />
          </label>
          <label>
            Baud rate
            <input
              inputMode="numeric"
              placeholder={String(s.serial.baudRate)}
              value={f('serial.baud')}
              onChange={(e) => setF('serial.baud', e.target.value)}
              {...errFor('serial.baud')}
            />
            <FieldError k="serial.baud" />
          </label>
        </div>
        <div className="row">
          <button
            type="button"
            onClick={() => {
              const baud = f('serial.baud') ? Number(f('serial.baud')) : undefined;
              if (baud !== undefined && (!Number.isInteger(baud) || baud <= 0)) {
                showError('serial.baudRate: must be a whole number like 9600');
                return;
              }
              void save({ serial: { path: f('serial.path') || s.serial.path, ...(baud ? { baudRate: baud } : {}) } }, 'Serial port');
            }}
          >
            Save
          </button>
          <TestButton target="serial" />
        </div>
      </Section>
      <Section title="Manager PIN">
        <div className="grid2">
          <label>
            Current PIN
            <input
              type="password"
              inputMode="numeric"
              value={f('pin.current')}
              onChange={(e) => setF('pin.current', e.target.value)}
              {...errFor('pin.current')}
            />
            <FieldError k="pin.current" />
          </label>
          <label>
            New PIN (6–8 digits)
            <input
              type="password"
              inputMode="numeric"
              value={f('pin.next')}
              onChange={(e) => setF('pin.next', e.target.value)}
              {...errFor('pin.next')}
            />
            <FieldError k="pin.next" />
          </label>
        </div>
        <div className="row">
          <button
            type="button"
            onClick={() => void save({ managerPin: { current: f('pin.current'), next: f('pin.next') } }, 'Manager PIN')}
          >
            Change PIN
          </button>
        </div>
      </Section>
    </div>
  );
}

function PrinterTest() {
  const [r, setR] = useState<string | null>(null);
  return (
    <span className="row">
      <button
        type="button"
        onClick={() =>
          invoke('printer.testPrint', {}).then(
            (x) => setR(`${x.ok ? 'Printed' : 'Failed'}: ${x.message}`),
            (e) => {
              if (!handleLocked(e)) setR(message(e));
            },
          )
        }
      >
        Test print
      </button>
      {r && <span className="small">{r}</span>}
    </span>
  );
}
