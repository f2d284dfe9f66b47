// Manager → Products: the catalogue the till scans and searches. Add or edit a product (price in
// naira, VAT, unit, barcodes, HS or ISIC classification, favourite = a quick key), delete, and
// CSV import (all rows or none; problems by row and column) and export.
import { useEffect, useState, type FormEvent } from 'react';
import { invoke } from '../../api/client';
import type { Product, ProductInput } from '../../../../shared/catalogue/product';
import { UNITS } from '../../../../shared/catalogue/product';
import { parseMoneyEntry } from '../../../../shared/catalogue/money-entry';
import { formatKobo } from '../../../../shared/domain/money';
import { VAT_CHOICES } from '../../lib/sale-draft';
import { naira } from '../../lib/format';
import { message } from '../../lib/errors';
import { handleLocked } from '../../stores/invoices';
import { download } from '../../lib/download';

interface Form {
  id?: number;
  name: string;
  sku: string;
  barcodes: string;
  price: string;
  vat: ProductInput['vat'];
  unit: ProductInput['unit'];
  classification: 'goods' | 'service';
  code: string;
  service_category: string;
  favourite: boolean;
}
const EMPTY: Form = {
  name: '',
  sku: '',
  barcodes: '',
  price: '',
  vat: 'STANDARD_VAT',
  unit: 'each',
  classification: 'goods',
  code: '',
  service_category: '',
  favourite: false,
};

function toForm(p: Product): Form {
  return {
    id: p.id,
    name: p.name,
    sku: p.sku,
    barcodes: p.barcodes.join(' '),
    price: formatKobo(p.price_kobo),
    vat: p.vat,
    unit: p.unit,
    classification: p.isic_code ? 'service' : 'goods',
    code: p.isic_code ?? p.hs_code ?? '',
    service_category: p.service_category ?? '',
    favourite: p.favourite,
  };
}

export function Products() {
  const [items, setItems] = useState<Product[]>([]);
  const [form, setForm] = useState<Form>(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fail = (e: unknown) => {
    if (!handleLocked(e)) setError(message(e));
  };
  const load = () => invoke('catalogue.list', {}).then((r) => setItems(r.items), fail);
  useEffect(() => {
    void load();
  }, []);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setNotice(null);
    let price_kobo: number;
    try {
      price_kobo = parseMoneyEntry(form.price);
    } catch (err) {
      setError(`Price: ${message(err)}`);
      return;
    }
    const code = form.code.trim();
    const product: ProductInput = {
      name: form.name,
      sku: form.sku,
      barcodes: form.barcodes.split(/[\s;,]+/).filter(Boolean),
      price_kobo,
      vat: form.vat,
      unit: form.unit,
      favourite: form.favourite,
      ...(code ? (form.classification === 'goods' ? { hs_code: code } : { isic_code: code }) : {}),
      ...(form.classification === 'service' && form.service_category.trim() ? { service_category: form.service_category.trim() } : {}),
    };
    try {
      const r = await invoke('catalogue.save', form.id === undefined ? { product } : { id: form.id, product });
      setNotice(`Saved ${r.product.name}`);
      setForm(EMPTY);
      await load();
    } catch (err) {
      fail(err);
    }
  };

  const importCsv = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setNotice(null);
    try {
      const r = await invoke('catalogue.importCsv', { csv: await file.text() });
      setNotice(`Imported: ${r.added} added, ${r.updated} updated`);
      await load();
    } catch (err) {
      fail(err);
    }
  };
  const exportCsv = async () => {
    try {
      const r = await invoke('catalogue.exportCsv', {});
      download(r.filename, r.csv, 'text/csv');
    } catch (err) {
      fail(err);
    }
  };
  const text = (k: 'name' | 'sku' | 'barcodes' | 'price' | 'code' | 'service_category', label: string, placeholder = '') => (
    <label>
      {label}
      <input name={k} placeholder={placeholder} value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} />
    </label>
  );

  return (
    <div className="stack products" data-testid="products">
      <div className="row">
        <label>
          Import CSV
          <input
            type="file"
            accept=".csv,text/csv"
            aria-label="Import products CSV"
            onChange={(e) => void importCsv(e.target.files?.[0])}
          />
        </label>
        <button type="button" onClick={() => void exportCsv()}>
          Export CSV
        </button>
      </div>
      <form className="panel product-form" aria-label="Product" onSubmit={(e) => void save(e)}>
        {text('name', 'Name')}
        {text('sku', 'SKU', 'RICE-5KG')}
        {text('barcodes', 'Barcodes (space between)', '5901234123457')}
        {text('price', 'Price (₦)', '1500.00')}
        <label>
          VAT
          <select name="vat" value={form.vat} onChange={(e) => setForm({ ...form, vat: e.target.value as Form['vat'] })}>
            {VAT_CHOICES.map((v) => (
              <option key={v.key} value={v.key}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Unit
          <select name="unit" value={form.unit} onChange={(e) => setForm({ ...form, unit: e.target.value as Form['unit'] })}>
            {UNITS.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        </label>
        <label>
          Goods or service
          <select
            name="classification"
            value={form.classification}
            onChange={(e) => setForm({ ...form, classification: e.target.value as Form['classification'] })}
          >
            <option value="goods">Goods (HS code)</option>
            <option value="service">Service (ISIC code)</option>
          </select>
        </label>
        {text(
          'code',
          form.classification === 'goods' ? 'HS code (blank = business default)' : 'ISIC code',
          form.classification === 'goods' ? '1006.30' : '9602',
        )}
        {form.classification === 'service' && text('service_category', 'Service category')}
        <label className="check">
          <input
            type="checkbox"
            name="favourite"
            checked={form.favourite}
            onChange={(e) => setForm({ ...form, favourite: e.target.checked })}
          />
          Quick key at the till
        </label>
        <div className="row">
          <button type="submit" className="primary">
            {form.id === undefined ? 'Add product' : 'Save product'}
          </button>
          {form.id !== undefined && (
            <button type="button" onClick={() => setForm(EMPTY)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {notice && (
        <p className="notice" role="status" data-testid="products-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="products-error">
          {error}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>SKU</th>
            <th>Barcodes</th>
            <th className="money">Price</th>
            <th>VAT</th>
            <th>Unit</th>
            <th>Class.</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.id} data-testid="product-row">
              <td>
                {p.favourite ? '★ ' : ''}
                {p.name}
              </td>
              <td className="mono">{p.sku}</td>
              <td className="mono small">{p.barcodes.join(' ')}</td>
              <td className="money">{naira(p.price_kobo)}</td>
              <td>{VAT_CHOICES.find((v) => v.key === p.vat)?.label}</td>
              <td>{p.unit}</td>
              <td className="mono small">{p.hs_code ?? (p.isic_code ? `ISIC ${p.isic_code}` : 'default')}</td>
              <td className="row">
                <button type="button" onClick={() => setForm(toForm(p))}>
                  Edit
                </button>
                <button
                  type="button"
                  className="danger"
                  aria-label={`Delete ${p.name}`}
                  onClick={() => void invoke('catalogue.delete', { id: p.id }).then(() => load(), fail)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
