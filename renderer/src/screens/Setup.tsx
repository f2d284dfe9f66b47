// First run: set up the business (FIRS identifiers, the NRS v1.1 postal address with state and
// LGA pickers, the default item classification from a searchable list, crypto_keys.txt,
// terminal, manager PIN, printer) or try the demo store. Fields are checked here with the same
// schema main uses, so errors name the field before anything is sent; main checks everything again
// (including the codes against the platform's lists when it has fetched them).
import { useState, type FormEvent } from 'react';
import { SetupBusinessSchema } from '../../../shared/domain/business';
import { HS_CODES, LGAS, SERVICE_CODES, STATES } from '../../../shared/firs-codes';
import { PrinterConfigSchema } from '../../../shared/receipt/printer-config';
import { MANAGER_PIN_PATTERN } from '../../../shared/domain/limits';
import { useApp } from '../stores/app';
import { message } from '../lib/errors';

const FIELDS = [
  { key: 'name', label: 'Business name', placeholder: 'Ade Stores Ltd', full: true },
  { key: 'tin', label: 'TIN', placeholder: '12345678-0001' },
  { key: 'email', label: 'Business email', placeholder: 'shop@example.ng' },
  { key: 'business_id', label: 'FIRS business id', placeholder: '3fa85f64-5717-4562-b3fc-2c963f66afa6', full: true },
  { key: 'service_id', label: 'Service id (8 characters)', placeholder: '94ND90NR' },
  { key: 'terminal', label: 'Terminal code', placeholder: 'T01' },
  { key: 'phone', label: 'Phone (optional)', placeholder: '+2348012345678' },
  { key: 'street', label: 'Street address', placeholder: '12 Allen Avenue', full: true },
  { key: 'city', label: 'City', placeholder: 'Ikeja' },
  { key: 'postal_zone', label: 'Postal code', placeholder: '100271' },
] as const;
type FieldKey = (typeof FIELDS)[number]['key'];

/** Quick shape check of crypto_keys.txt; the service does the full (cryptographic) check. */
export function keysFileProblem(text: string): string | null {
  const t = text.trim();
  if (!t) return 'crypto_keys.txt: the file is empty';
  if (t.startsWith('{')) {
    try {
      const doc = JSON.parse(t) as Record<string, unknown>;
      if (typeof doc.public_key !== 'string') return 'crypto_keys.txt: the JSON has no "public_key" string';
      if (typeof doc.certificate !== 'string') return 'crypto_keys.txt: the JSON has no "certificate" string';
      return null;
    } catch (e) {
      return `crypto_keys.txt: looks like JSON but does not parse (${message(e)})`;
    }
  }
  if (!/-----BEGIN (RSA )?PUBLIC KEY-----/.test(t))
    return 'crypto_keys.txt: this is not the file from the FIRS portal (neither its JSON form nor a PEM public key with the certificate)';
  return null;
}

export function Setup() {
  const { configure, startDemo } = useApp();
  const [mode, setMode] = useState<'choose' | 'form'>('choose');
  const [values, setValues] = useState<Record<FieldKey, string>>({
    name: '',
    tin: '',
    email: '',
    business_id: '',
    service_id: '',
    terminal: 'T01',
    phone: '',
    street: '',
    city: '',
    postal_zone: '',
  });
  const [state, setState] = useState('');
  const [lga, setLga] = useState('');
  const [classKind, setClassKind] = useState<'goods' | 'services'>('goods');
  const [classCode, setClassCode] = useState('');
  const [keys, setKeys] = useState<{ name: string; text: string } | null>(null);
  const [keysError, setKeysError] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [pin2, setPin2] = useState('');
  const [printer, setPrinter] = useState('virtual');
  const [width, setWidth] = useState<58 | 80>(80);
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const demo = async () => {
    setBusy(true);
    setError(null);
    try {
      await startDemo();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const chooseKeys = async (file: File | undefined) => {
    setKeys(null);
    setKeysError(null);
    if (!file) return;
    if (file.size > 64 * 1024) {
      setKeysError(`crypto_keys.txt: ${file.name} is ${Math.round(file.size / 1024)} KB; the FIRS file is a few KB of text`);
      return;
    }
    const text = await file.text();
    const problem = keysFileProblem(text);
    if (problem) {
      setKeysError(problem);
      return;
    }
    setKeys({ name: file.name, text });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const errs: Record<string, string> = {};
    const business = Object.fromEntries(
      Object.entries(values)
        .map(([k, v]) => [k, v.trim()])
        .filter(([, v]) => v !== ''),
    );
    const code = classCode.trim().split(' ')[0] ?? '';
    const parsed = SetupBusinessSchema.safeParse({
      ...business,
      country: 'NG',
      ...(state ? { state } : {}),
      ...(lga.trim() ? { lga: lga.trim().toUpperCase() } : {}),
      ...(code ? (classKind === 'goods' ? { default_hs_code: code } : { default_isic_code: code }) : {}),
    });
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const k = String(i.path[0]);
        // An empty field is left out of what is checked, so the schema's words would be
        // "expected string, received undefined": say what the user has to do instead.
        const text = i.code === 'invalid_type' && !(k in business) ? 'required' : i.message;
        errs[k === 'default_hs_code' || k === 'default_isic_code' ? 'classification' : k] ??= text;
      }
    }
    if (!keys) errs.keys = keysError ?? 'choose the crypto_keys.txt file downloaded from the FIRS portal';
    if (!MANAGER_PIN_PATTERN.test(pin)) errs.pin = 'must be 6 to 8 digits (a manager PIN is longer than a cashier PIN)';
    else if (pin !== pin2) errs.pin2 = 'the two PINs differ';
    const printerCfg = PrinterConfigSchema.safeParse({ interface: printer.trim() || 'virtual', width });
    if (!printerCfg.success) errs.printer = printerCfg.error.issues[0]?.message ?? 'invalid printer';
    setErrors(errs);
    if (Object.keys(errs).length > 0 || !parsed.success || !keys) return;
    setBusy(true);
    try {
      await configure({
        business: parsed.data,
        cryptoKeys: keys.text,
        managerPin: pin,
        printer: { interface: printer.trim() || 'virtual', width },
      });
    } catch (err) {
      const m = message(err);
      if (/crypto_keys|cryptoKeys/i.test(m)) setKeysError(m);
      setError(m);
    } finally {
      setBusy(false);
    }
  };

  if (mode === 'choose') {
    return (
      <div className="wizard">
        <h1>Welcome to TaxPoynt POS</h1>
        <p className="muted">
          Every sale becomes a FIRS e-invoice with its IRN and QR stamp, printed on the receipt and reported within 24 hours.
        </p>
        <div className="choices">
          <button type="button" className="choice" autoFocus onClick={() => setMode('form')}>
            <strong>Set up my business</strong>
            <span className="muted">Your TIN, FIRS business id, service id and the crypto_keys.txt file from the FIRS portal.</span>
          </button>
          <button type="button" className="choice" disabled={busy} onClick={() => void demo()}>
            <strong>Try the demo store</strong>
            <span className="muted">
              A demo business with its own keys and simulated sales. Nothing is reported; everything is labelled DEMO.
            </span>
          </button>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </div>
    );
  }

  return (
    <div className="wizard panel">
      <h1>Set up this terminal</h1>
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Business setup">
        {FIELDS.map((f) => (
          <label key={f.key} className={'full' in f && f.full ? 'full' : ''}>
            {f.label}
            <input
              name={f.key}
              placeholder={f.placeholder}
              value={values[f.key]}
              aria-invalid={!!errors[f.key]}
              onChange={(e) => setValues({ ...values, [f.key]: f.key === 'terminal' ? e.target.value.toUpperCase() : e.target.value })}
            />
            {errors[f.key] && (
              <span className="error small">
                {f.label}: {errors[f.key]}
              </span>
            )}
          </label>
        ))}
        <label>
          State (NRS states list)
          <select
            name="state"
            value={state}
            aria-invalid={!!errors.state}
            onChange={(e) => {
              setState(e.target.value);
              setLga('');
            }}
          >
            <option value="">Choose the state…</option>
            {STATES.map((st) => (
              <option key={st.code} value={st.code}>
                {st.name} ({st.code})
              </option>
            ))}
          </select>
          {errors.state && <span className="error small">State: {errors.state}</span>}
        </label>
        <label>
          LGA (NRS lgas list code)
          <input
            name="lga"
            list="lga-codes"
            placeholder={state ? `${state}-…` : 'NG-LA-IKJ'}
            value={lga}
            aria-invalid={!!errors.lga}
            onChange={(e) => setLga(e.target.value.toUpperCase())}
          />
          <datalist id="lga-codes">
            {LGAS.filter((x) => x.state_code === state).map((x) => (
              <option key={x.code} value={x.code}>
                {x.name}
              </option>
            ))}
          </datalist>
          {errors.lga && <span className="error small">LGA: {errors.lga}</span>}
        </label>
        <fieldset className="full">
          <legend>What this business mostly sells (the item classification for lines without their own code)</legend>
          <label>
            <input
              type="radio"
              name="class-kind"
              checked={classKind === 'goods'}
              onChange={() => {
                setClassKind('goods');
                setClassCode('');
              }}
            />{' '}
            Goods (HS code)
          </label>
          <label>
            <input
              type="radio"
              name="class-kind"
              checked={classKind === 'services'}
              onChange={() => {
                setClassKind('services');
                setClassCode('');
              }}
            />{' '}
            Services (ISIC code)
          </label>
          <input
            name="classification"
            list="classification-codes"
            placeholder={
              classKind === 'goods'
                ? 'search: rice, soap… or an HS code like 1006.30'
                : 'search: restaurant, salon… or an ISIC code like 5610'
            }
            value={classCode}
            aria-invalid={!!errors.classification}
            onChange={(e) => setClassCode(e.target.value)}
          />
          <datalist id="classification-codes">
            {(classKind === 'goods'
              ? HS_CODES.map((x) => ({ code: x.hscode, text: x.description }))
              : SERVICE_CODES.map((x) => ({ code: x.code, text: x.description }))
            ).map((x) => (
              <option key={x.code} value={`${x.code} ${x.text}`} />
            ))}
          </datalist>
          {errors.classification && <span className="error small">Classification: {errors.classification}</span>}
        </fieldset>
        <label className="full">
          crypto_keys.txt (FIRS portal → API keys → download)
          <input
            type="file"
            name="keys"
            accept=".txt,text/plain,application/json"
            aria-invalid={!!(keysError || errors.keys)}
            onChange={(e) => void chooseKeys(e.target.files?.[0])}
          />
          {keys && !keysError && (
            <span className="small" style={{ color: 'var(--ok)' }}>
              {keys.name} read
            </span>
          )}
          {(keysError || errors.keys) && (
            <span className="error small" role="alert" data-testid="keys-error">
              {keysError ?? errors.keys}
            </span>
          )}
        </label>
        <label>
          Manager PIN (6–8 digits)
          <input
            name="pin"
            type="password"
            inputMode="numeric"
            value={pin}
            aria-invalid={!!errors.pin}
            onChange={(e) => setPin(e.target.value)}
          />
          {errors.pin && <span className="error small">PIN: {errors.pin}</span>}
        </label>
        <label>
          Manager PIN again
          <input
            name="pin2"
            type="password"
            inputMode="numeric"
            value={pin2}
            aria-invalid={!!errors.pin2}
            onChange={(e) => setPin2(e.target.value)}
          />
          {errors.pin2 && <span className="error small">{errors.pin2}</span>}
        </label>
        <label>
          Printer (virtual, tcp://192.168.1.50:9100, /dev/usb/lp0, serial:/dev/ttyUSB0)
          <input name="printer" value={printer} aria-invalid={!!errors.printer} onChange={(e) => setPrinter(e.target.value)} />
          {errors.printer && <span className="error small">Printer: {errors.printer}</span>}
        </label>
        <label>
          Paper width
          <select name="width" value={width} onChange={(e) => setWidth(Number(e.target.value) === 58 ? 58 : 80)}>
            <option value={80}>80 mm</option>
            <option value={58}>58 mm</option>
          </select>
        </label>
        {error && (
          <p className="error full" role="alert" data-testid="setup-error">
            {error}
          </p>
        )}
        <div className="row full" style={{ justifyContent: 'flex-end' }}>
          <button type="button" onClick={() => setMode('choose')}>
            Back
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Save and open the till
          </button>
        </div>
      </form>
    </div>
  );
}
