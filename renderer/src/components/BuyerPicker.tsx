// A B2B buyer for the sale: find one saved before (name or TIN) or add one. main checks the
// buyer with the NRS rules (shared/domain/buyer.ts) before saving; its words are shown as they are.
// Edit fills the form with a saved buyer (saving the same TIN replaces it); Delete archives it
// (manager only): invoices already issued to it keep their own copy.
import { useEffect, useState, type FormEvent } from 'react';
import { invoke } from '../api/client';
import type { Party } from '../../../shared/domain/sale';
import { STATES } from '../../../shared/firs-codes/states';
import { LGAS } from '../../../shared/firs-codes/lgas';
import { message } from '../lib/errors';

export function BuyerPicker({ onPick, onClose }: { onPick: (p: Party) => void; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<{ id: number; party: Party }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [f, setF] = useState({ name: '', tin: '', email: '', phone: '', street: '', city: '', postal_zone: '', state: 'NG-LA', lga: '' });
  const [shown, setShown] = useState(0); // bumped after a delete: search again

  const edit = (p: Party) =>
    setF({
      name: p.name,
      tin: p.tin ?? '',
      email: p.email ?? '',
      phone: p.phone ?? '',
      street: p.address?.street ?? '',
      city: p.address?.city ?? '',
      postal_zone: p.address?.postal_zone ?? '',
      state: p.address?.state ?? 'NG-LA',
      lga: p.address?.lga ?? '',
    });
  const remove = async (id: number) => {
    setError(null);
    try {
      await invoke('customers.archive', { id });
      setShown((n) => n + 1);
    } catch (err) {
      setError(message(err));
    }
  };

  useEffect(() => {
    let live = true;
    invoke('customers.search', { query }).then(
      (r) => live && setFound(r.items),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [query, shown]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const party: Party = {
      name: f.name.trim(),
      tin: f.tin.trim(),
      email: f.email.trim(),
      ...(f.phone.trim() ? { phone: f.phone.trim() } : {}),
      address: {
        street: f.street.trim(),
        city: f.city.trim(),
        postal_zone: f.postal_zone.trim(),
        state: f.state,
        lga: f.lga.trim().toUpperCase(),
        country: 'NG',
      },
    };
    try {
      const r = await invoke('customers.save', { party });
      onPick(r.party);
    } catch (err) {
      setError(message(err));
    }
  };
  const field = (k: keyof typeof f, label: string, extra: Record<string, string> = {}) => (
    <label>
      {label}
      <input name={k} value={f[k]} onChange={(e) => setF({ ...f, [k]: e.target.value })} {...extra} />
    </label>
  );

  return (
    <section className="panel buyer" role="dialog" aria-label="B2B buyer">
      <header>
        <h2>B2B buyer</h2>
        <span className="spacer" />
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <label>
        Find a buyer (name or TIN)
        <input aria-label="Find buyer" value={query} onChange={(e) => setQuery(e.target.value)} />
      </label>
      <ul className="buyer-list">
        {found.map((c) => (
          <li key={c.id}>
            <button type="button" data-testid="buyer-match" onClick={() => onPick(c.party)}>
              {c.party.name} · {c.party.tin}
            </button>{' '}
            <button type="button" className="link" aria-label={`Edit ${c.party.name}`} onClick={() => edit(c.party)}>
              Edit
            </button>{' '}
            <button type="button" className="link" aria-label={`Delete ${c.party.name}`} onClick={() => void remove(c.id)}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <form aria-label="New buyer" onSubmit={(e) => void save(e)} className="buyer-form">
        {field('name', 'Name')}
        {field('tin', 'TIN', { placeholder: '12345678-0001' })}
        {field('email', 'Email', { type: 'email' })}
        {field('phone', 'Phone', { placeholder: '+2348012345678' })}
        {field('street', 'Street')}
        {field('city', 'City')}
        {field('postal_zone', 'Postal code')}
        <label>
          State
          <select name="state" value={f.state} onChange={(e) => setF({ ...f, state: e.target.value, lga: '' })}>
            {STATES.map((s) => (
              <option key={s.code} value={s.code}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          LGA (code)
          <input
            name="lga"
            list="buyer-lgas"
            placeholder={`${f.state}-IKJ`}
            value={f.lga}
            onChange={(e) => setF({ ...f, lga: e.target.value })}
          />
          <datalist id="buyer-lgas">
            {LGAS.filter((l) => l.state_code === f.state).map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </datalist>
        </label>
        <button type="submit" className="primary">
          Save buyer and use
        </button>
      </form>
      {error && (
        <p className="error" role="alert" data-testid="buyer-error">
          {error}
        </p>
      )}
    </section>
  );
}
