// Settings → CRM connections: one CRM (HubSpot, Salesforce, Pipedrive). Connect with a token or
// OAuth client (secrets go to the encrypted store through settings.update and are never shown
// again), test the connection (the CRM's precise problem), the stage mapping read from the portal
// (HubSpot pipelines; Salesforce and Pipedrive decide "won" by IsWon / status), the buyer field
// mapping (TIN, email, address, state, LGA) and the "paid" field, and the write-back toggle.
import { useState } from 'react';
import { invoke } from '../../api/client';
import type { CrmStages, Request, SettingsView } from '../../../../shared/ipc/contract';
import { message } from '../../lib/errors';
import { handleLocked } from '../../stores/invoices';
import { TestButton } from './Settings';

type Update = Request<'settings.update'>;
type Crm = 'hubspot' | 'salesforce' | 'pipedrive';

const AUTH: Record<Crm, { value: string; label: string }[]> = {
  hubspot: [
    { value: 'private_app', label: 'Private-app token' },
    { value: 'oauth', label: 'OAuth app' },
  ],
  salesforce: [
    { value: 'web_server', label: 'OAuth web-server flow' },
    { value: 'jwt', label: 'JWT bearer flow (key via the CLI)' },
  ],
  pipedrive: [
    { value: 'api_token', label: 'API token' },
    { value: 'oauth', label: 'OAuth app' },
  ],
};
/** Where each CRM keeps its API host in settings. */
const URL_KEY: Record<Crm, string> = { hubspot: 'baseUrl', salesforce: 'loginUrl', pipedrive: 'baseUrl' };
const BUYER_FIELDS = [
  ['tin', 'TIN'],
  ['email', 'Email'],
  ['street', 'Street'],
  ['city', 'City'],
  ['state', 'State'],
  ['lga', 'LGA'],
] as const;
const WHERE: Record<Crm, string> = { hubspot: 'company property', salesforce: 'Account field', pipedrive: 'organization field key' };
const PAID_WHERE: Record<Crm, string> = { hubspot: 'deal property', salesforce: 'Opportunity field', pipedrive: 'deal custom-field key' };

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function CrmConnection({ crm, save }: { crm: SettingsView['pos'][number]; save: (u: Update, what: string) => Promise<void> }) {
  const id = crm.vendor as Crm;
  const config = crm.config ?? {};
  const map = (config.map ?? {}) as Record<string, unknown>;
  const buyer = (map.buyerFields ?? {}) as Record<string, unknown>;
  const [form, setForm] = useState<Record<string, string>>({});
  const [stages, setStages] = useState<CrmStages | null>(null);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const f = (k: string, fallback: string) => form[k] ?? fallback;
  const set = (k: string, v: string) => setForm((x) => ({ ...x, [k]: v }));
  const [writeback, setWriteback] = useState<boolean>(config.writeback === true);
  // A CRM connected for the first time polls unless the manager says otherwise.
  const enabledNow = crm.config === null || crm.enabled ? 'yes' : 'no';

  const loadStages = async () => {
    setError(null);
    try {
      const r = await invoke('deals.stages', { source: id });
      setStages(r);
      setChosen(r.stages.filter((s) => s.invoices).map((s) => s.id));
    } catch (e) {
      if (!handleLocked(e)) setError(message(e));
    }
  };

  const submit = () => {
    const buyerFields: Record<string, string> = { ...(buyer as Record<string, string>) };
    for (const [k] of BUYER_FIELDS) {
      const v = f(`buyer.${k}`, str(buyer[k])).trim();
      if (v) buyerFields[k] = v;
      else delete buyerFields[k];
    }
    const paid = f('paid', str(map.paidField)).trim();
    const nextMap: Record<string, unknown> = { ...map, buyerFields };
    if (paid) nextMap.paidField = paid;
    else delete nextMap.paidField;
    if (id === 'hubspot' && chosen) {
      if (chosen.length) nextMap.wonStages = chosen;
      else delete nextMap.wonStages;
    }
    const every = f('interval', '').trim();
    if (every && !/^\d+$/.test(every)) {
      setError(`${crm.name}: poll interval must be a whole number of seconds (5 or more)`);
      return;
    }
    const url = f('url', str(config[URL_KEY[id]])).trim();
    const clientId = f('clientId', str(config.clientId)).trim();
    const credentials = {
      ...(f('token', '') ? { accessToken: f('token', '') } : {}),
      ...(f('clientSecret', '') ? { clientSecret: f('clientSecret', '') } : {}),
      ...(f('refreshToken', '') ? { refreshToken: f('refreshToken', '') } : {}),
      ...(f('webhook', '') ? { webhookSecret: f('webhook', '') } : {}),
    };
    void save(
      {
        pos: {
          vendor: id,
          enabled: f('enabled', enabledNow) === 'yes',
          config: {
            auth: f('auth', str(config.auth) || AUTH[id][0]!.value),
            ...(url ? { [URL_KEY[id]]: url } : {}),
            ...(clientId ? { clientId } : {}),
            map: nextMap,
            writeback,
            ...(every ? { pollIntervalS: Number(every) } : {}),
          },
          ...(Object.keys(credentials).length ? { credentials } : {}),
        },
      },
      crm.name,
    ).then(() => setForm({}));
  };

  return (
    <fieldset className="stack" aria-label={`${crm.name} connection`} data-testid={`crm-${id}`}>
      <legend>
        {crm.name}{' '}
        <span className={`badge ${crm.credentialsSet ? 'ok' : 'warn'}`}>{crm.credentialsSet ? 'credentials set' : 'not connected'}</span>
      </legend>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="grid2">
        <label>
          Enabled
          <select value={f('enabled', enabledNow)} onChange={(e) => set('enabled', e.target.value)}>
            <option value="yes">yes: poll in the background</option>
            <option value="no">no</option>
          </select>
        </label>
        <label>
          Connect with
          <select value={f('auth', str(config.auth) || AUTH[id][0]!.value)} onChange={(e) => set('auth', e.target.value)}>
            {AUTH[id].map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {id === 'salesforce' ? 'Login URL' : 'API URL'}
          <input
            placeholder={str(config[URL_KEY[id]]) || 'CRM default'}
            value={f('url', '')}
            onChange={(e) => set('url', e.target.value)}
          />
        </label>
        <label>
          Poll every (seconds)
          <input
            inputMode="numeric"
            aria-label={`${crm.name} poll interval`}
            placeholder={typeof config.pollIntervalS === 'number' ? String(config.pollIntervalS) : '60'}
            value={f('interval', '')}
            onChange={(e) => set('interval', e.target.value)}
          />
        </label>
        <label>
          Client id
          <input
            placeholder={str(config.clientId) || 'OAuth apps only'}
            value={f('clientId', '')}
            onChange={(e) => set('clientId', e.target.value)}
          />
        </label>
        <label>
          {id === 'pipedrive' ? 'API token' : id === 'hubspot' ? 'Private-app token' : 'Access token'}
          <input
            type="password"
            autoComplete="off"
            placeholder="stored encrypted"
            value={f('token', '')}
            onChange={(e) => set('token', e.target.value)}
          />
        </label>
        <label>
          Client secret{id === 'hubspot' ? ' (also signs webhooks)' : ''}
          <input
            type="password"
            autoComplete="off"
            placeholder="stored encrypted"
            value={f('clientSecret', '')}
            onChange={(e) => set('clientSecret', e.target.value)}
          />
        </label>
        <label>
          Refresh token
          <input
            type="password"
            autoComplete="off"
            placeholder="OAuth apps only"
            value={f('refreshToken', '')}
            onChange={(e) => set('refreshToken', e.target.value)}
          />
        </label>
        {id === 'pipedrive' && (
          <label>
            Webhook user:password
            <input
              type="password"
              autoComplete="off"
              placeholder="Basic auth of the webhook"
              value={f('webhook', '')}
              onChange={(e) => set('webhook', e.target.value)}
            />
          </label>
        )}
      </div>

      <h4>What &quot;won&quot; means</h4>
      {id === 'hubspot' ? (
        <div className="stack">
          <button type="button" onClick={() => void loadStages()} disabled={!crm.credentialsSet}>
            Read stages from the portal
          </button>
          {stages && (
            <p className="small" data-testid="crm-stage-rule">
              {stages.rule}
            </p>
          )}
          {stages?.stages.map((s) => (
            <label key={s.id} className="row">
              <input
                type="checkbox"
                aria-label={`invoice at ${s.pipeline} / ${s.label}`}
                checked={chosen?.includes(s.id) ?? s.invoices}
                onChange={(e) =>
                  setChosen((c) => {
                    const cur = c ?? stages.stages.filter((x) => x.invoices).map((x) => x.id);
                    return e.target.checked ? [...new Set([...cur, s.id])] : cur.filter((x) => x !== s.id);
                  })
                }
              />
              {s.pipeline} / {s.label} <code>{s.id}</code> {s.closedWon ? <span className="badge ok">closed-won</span> : null}
            </label>
          ))}
          {!stages && Array.isArray(map.wonStages) && <p className="small">Invoicing at stages {(map.wonStages as string[]).join(', ')}</p>}
        </div>
      ) : (
        <p className="small">
          {id === 'salesforce' ? 'An Opportunity is won when IsWon = true.' : 'A deal is won when its status is won.'}
        </p>
      )}

      <h4>Buyer fields ({WHERE[id]})</h4>
      <div className="grid2">
        {BUYER_FIELDS.map(([k, label]) => (
          <label key={k}>
            {label}
            <input
              aria-label={`${crm.name} ${label} field`}
              placeholder={str(buyer[k]) || 'CRM default'}
              value={f(`buyer.${k}`, str(buyer[k]))}
              onChange={(e) => set(`buyer.${k}`, e.target.value)}
            />
          </label>
        ))}
        <label>
          Paid ({PAID_WHERE[id]})
          <input
            aria-label={`${crm.name} paid field`}
            placeholder="none: payment status stays PENDING"
            value={f('paid', str(map.paidField))}
            onChange={(e) => set('paid', e.target.value)}
          />
        </label>
      </div>
      <label className="row">
        <input type="checkbox" aria-label={`${crm.name} write-back`} checked={writeback} onChange={(e) => setWriteback(e.target.checked)} />
        Write the invoice number, IRN and clearance state back onto the deal
      </label>
      <div className="row">
        <button type="button" onClick={submit}>
          Save {crm.name}
        </button>
        <TestButton target={id} />
      </div>
    </fieldset>
  );
}
