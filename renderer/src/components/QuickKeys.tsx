// Quick keys: the favourite products as a touch-sized grid (Manager → Products marks favourites).
import { useEffect, useState } from 'react';
import { invoke } from '../api/client';
import type { Product } from '../../../shared/catalogue/product';
import { naira } from '../lib/format';

export function QuickKeys({ onPick }: { onPick: (p: Product) => void }) {
  const [items, setItems] = useState<Product[]>([]);
  useEffect(() => {
    invoke('catalogue.favourites', {}).then(
      (r) => setItems(r.items),
      () => setItems([]),
    );
  }, []);
  if (items.length === 0) return null;
  return (
    <div className="quick-keys" role="group" aria-label="Quick keys">
      {items.map((p) => (
        <button type="button" key={p.id} data-testid="quick-key" onClick={() => onPick(p)}>
          <span className="qk-name">{p.name}</span>
          <span className="qk-price money">
            {naira(p.price_kobo)}
            {p.unit === 'each' ? '' : `/${p.unit}`}
          </span>
        </button>
      ))}
    </div>
  );
}
