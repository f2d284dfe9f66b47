// Settings → Point of sale connections: one POS vendor's panel, drawn from the fields its source
// describes (shared/sources/<id>/source.ts `fields`), never from vendor names. Text and list
// fields go to the connection's settings, secrets to the encrypted store through settings.update
// (shown only as stored / not set). Main checks everything and names each problem at its field
// (`pos.<vendor>.<key>`, shown here from the screen's field errors).
import { useState } from 'react';
import type { Request, SettingsView } from '../../../../shared/ipc/contract';
import { SOURCES, sourceInfo } from '../../../../shared/sources/registry';
import type { SettingsField } from '../../../../shared/sources/settings-fields';
import { TestButton } from './Settings';

type Update = Request<'settings.update'>;
type Vendor = NonNullable<Update['pos']>['vendor'];
type Pos = SettingsView['pos'][number];

/** Every POS field's error key, so the screen's error splitter puts main's messages at them. */
export const POS_FIELD_KEYS: ReadonlySet<string> = new Set(
  SOURCES.flatMap((s) => ('fields' in s ? s.fields.map((f) => errorKey(s.id, f.key)) : [])),
);

export function errorKey(vendor: string, key: string): string {
  return `pos.${vendor}.${key}`;
}

/** A stored value as the field shows it (a list as "a, b"). */
function shown(f: SettingsField, config: Record<string, unknown> | null): string {
  if (f.kind === 'secret') return '';
  const v = config?.[f.key];
  if (Array.isArray(v)) return v.join(', ');
  return typeof v === 'string' ? v : '';
}

/** The request from what was typed: untouched fields are left as stored; an emptied optional text field is cleared (null). */
export function posUpdate(vendor: Vendor, fields: readonly SettingsField[], typed: Record<string, string>, enabled: boolean): Update {
  const config: Record<string, unknown> = {};
  const credentials: Record<string, string> = {};
  for (const f of fields) {
    const v = typed[f.key];
    if (v === undefined) continue;
    if (f.kind === 'secret') {
      if (v.trim()) credentials[f.key] = v.trim();
    } else if (f.kind === 'list') config[f.key] = v.split(/[\s,]+/).filter(Boolean);
    else config[f.key] = v.trim() || null;
  }
  return { pos: { vendor, enabled, config, ...(Object.keys(credentials).length ? { credentials } : {}) } };
}

export function PosConnection({
  pos,
  save,
  errors,
  onEdit,
}: {
  pos: Pos;
  /** Resolves true when main accepted the update. */
  save: (u: Update, what: string) => Promise<boolean>;
  /** The screen's field errors (keys `pos.<vendor>.<key>`). */
  errors: Record<string, string>;
  /** A field being edited drops its error. */
  onEdit: (errorKey: string) => void;
}) {
  const fields = sourceInfo(pos.vendor)?.fields ?? [];
  const [typed, setTyped] = useState<Record<string, string>>({});
  // A connection saved for the first time polls unless the manager says otherwise.
  const [enabled, setEnabled] = useState(pos.config === null || pos.enabled);
  const set = (k: string, v: string) => {
    setTyped((t) => ({ ...t, [k]: v }));
    onEdit(errorKey(pos.vendor, k));
  };
  const submit = async () => {
    if (await save(posUpdate(pos.vendor as Vendor, fields, typed, enabled), pos.name)) setTyped({});
  };

  return (
    <fieldset className="stack" aria-label={`${pos.name} connection`} data-testid={`pos-${pos.vendor}`}>
      <legend>
        {pos.name}{' '}
        <span className={`badge ${pos.config ? 'ok' : 'neutral'}`}>
          {pos.config ? (pos.enabled ? 'enabled' : 'disabled') : 'not set up'}
        </span>
      </legend>
      <div className="grid2">
        {fields.map((f) => {
          const ek = errorKey(pos.vendor, f.key);
          const errId = `err-${ek.replace(/\W/g, '-')}`;
          const stored = f.kind === 'secret' && pos.secretsSet.includes(f.key);
          return (
            <label key={f.key}>
              <span>
                {f.label}
                {f.required ? ' *' : ''}{' '}
                {f.kind === 'secret' &&
                  (stored ? <span className="badge ok">stored</span> : <span className="badge neutral">not set</span>)}
              </span>
              <input
                aria-label={`${pos.name} ${f.label}`}
                type={f.kind === 'secret' ? 'password' : 'text'}
                autoComplete="off"
                placeholder={
                  f.kind !== 'secret'
                    ? (f.placeholder ?? '')
                    : stored
                      ? 'stored: type a new one to replace it'
                      : 'stored encrypted, never shown again'
                }
                value={typed[f.key] ?? shown(f, pos.config)}
                onChange={(e) => set(f.key, e.target.value)}
                {...(errors[ek] ? { 'aria-invalid': true as const, 'aria-describedby': errId } : {})}
              />
              <span className="small muted">{f.help}</span>
              {errors[ek] && (
                <span className="error small field-error" id={errId} data-testid={`field-error-${ek}`}>
                  {errors[ek]}
                </span>
              )}
            </label>
          );
        })}
        <label className="row">
          <input type="checkbox" aria-label={`${pos.name} enabled`} checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled: capture its sales in the background
        </label>
      </div>
      <div className="row">
        <button type="button" onClick={() => void submit()}>
          Save {pos.name}
        </button>
        <TestButton target={pos.vendor as Vendor} />
      </div>
    </fieldset>
  );
}
