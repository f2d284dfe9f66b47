// "Try the demo store": a demo business with a key pair generated on this machine (no FIRS
// account needed) and a simulated sale feed. Demo invoices carry source 'demo': labelled DEMO
// everywhere and never reported.
import { generateKeyPairSync, randomInt, randomUUID } from 'node:crypto';
import type { Sale } from '../../shared/domain/sale';
import { formatKobo, parseKobo } from '../../shared/domain/money';

export const DEMO_BUSINESS = {
  name: 'DEMO — Mama Put Kitchen',
  tin: '00000000-0001',
  business_id: '00000000-0000-4000-8000-000000000001',
  service_id: 'DEMO0001',
  terminal: 'DEMO',
  email: 'demo@example.com',
  street: '1 Demo Street',
  city: 'Ikeja',
  country: 'NG',
  // NRS v1.1 profile fields (setup requires them): a Lagos address and a restaurant's ISIC class.
  postal_zone: '100271',
  state: 'NG-LA',
  lga: 'NG-LA-IKJ',
  default_isic_code: '5610',
} as const;

/** The demo store's manager PIN (shown on screen): 6 digits like every manager PIN. */
export const DEMO_PIN = '000000';

/** A crypto_keys.txt equivalent for the demo: the FIRS JSON form with a locally generated key. */
export function demoKeys(): { keysText: string; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    keysText: JSON.stringify({
      public_key: Buffer.from(publicPem).toString('base64'),
      certificate: Buffer.from(`demo-certificate-${randomUUID()}`).toString('base64'),
    }),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

const MENU = [
  { name: 'Jollof rice', price: '2500.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } },
  { name: 'Fried plantain', price: '800.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } },
  { name: 'Suya (stick)', price: '1200.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } },
  { name: 'Bottled water', price: '300.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } },
  { name: 'Chapman', price: '1500.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } },
  { name: 'Rice 5kg (basic food)', price: '8600.00', tax: { category: 'ZERO_VAT', rate: '0', inclusive: true } },
] as const;

const METHODS = ['cash', 'card', 'transfer'] as const;

/** Lagos wall clock with its +01:00 offset. */
export function lagosIso(now: Date): string {
  return `${new Date(now.getTime() + 3600_000).toISOString().slice(0, 19)}+01:00`;
}

/** One simulated sale (prices inclusive of VAT, paid exactly). */
export function demoSale(now: Date, seq: number): Sale {
  const count = randomInt(1, 4);
  const lines = Array.from({ length: count }, () => {
    const item = MENU[randomInt(MENU.length)]!;
    return { name: item.name, quantity: String(randomInt(1, 4)), unit_price: item.price, tax: { ...item.tax } };
  });
  const totalKobo = lines.reduce((s, l) => s + Number(l.quantity) * parseKobo(l.unit_price), 0); // whole quantities: exact
  const method = METHODS[randomInt(METHODS.length)]!;
  return {
    source: 'demo',
    external_id: `demo-${now.getTime()}-${seq}`,
    occurred_at: lagosIso(now),
    currency: 'NGN',
    lines,
    payments: [{ method, amount: formatKobo(totalKobo) }],
  } as Sale;
}
