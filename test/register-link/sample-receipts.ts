// Receipts of our own making for the two shipped templates: the ESC/POS bytes a register would
// send its printer (ESC @, ESC t 19 = CP858, double-size header, feed and cut). Amounts are kobo.
import iconv from 'iconv-lite';

export interface SampleItem {
  name: string;
  qty: number;
  unitKobo: number;
}

const ESC = 0x1b,
  GS = 0x1d;
const W = 42;

export function naira(kobo: number): string {
  const major = Math.floor(kobo / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${major}.${String(kobo % 100).padStart(2, '0')}`;
}

const lr = (left: string, right: string, width = W) => `${left}${' '.repeat(Math.max(1, width - left.length - right.length))}${right}`;
const halfUp = (num: number, den: number) => Math.floor((2 * num + den) / (2 * den)); // integers only

function lagos(at: Date) {
  const d = new Date(at.getTime() + 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    dmy: `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`,
    ymd: `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`,
    hms: `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`,
    hm: `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`,
  };
}

class Job {
  private parts: Buffer[] = [Buffer.from([ESC, 0x40, ESC, 0x74, 19])];
  cmd(...b: number[]) {
    this.parts.push(Buffer.from(b));
    return this;
  }
  line(text = '') {
    this.parts.push(iconv.encode(`${text}\n`, 'cp858'));
    return this;
  }
  cut() {
    return this.cmd(ESC, 0x64, 3, GS, 0x56, 0x42, 0);
  }
  bytes() {
    return Buffer.concat(this.parts);
  }
}

/** ng-supermarket: VAT-inclusive prices, one line per item, cash with change or POS. */
export function supermarketReceipt(
  no: number,
  items: SampleItem[],
  o: { at: Date; pay?: 'CASH' | 'POS' | 'TRANSFER'; tenderedKobo?: number },
): Buffer {
  const t = lagos(o.at);
  const j = new Job()
    .cmd(ESC, 0x61, 1, ESC, 0x21, 0x30)
    .line('ADE SUPERMARKET')
    .cmd(ESC, 0x21, 0)
    .line('12 Allen Avenue, Ikeja')
    .line('TIN 12345678-0001')
    .cmd(ESC, 0x61, 0);
  j.line(`RECEIPT NO: ${String(no).padStart(6, '0')}`)
    .line(`DATE: ${t.dmy}  TIME: ${t.hms}`)
    .line('-'.repeat(W))
    .line(lr('ITEM', 'QTY   PRICE    AMOUNT'));
  let total = 0,
    vat = 0;
  for (const it of items) {
    const amount = it.qty * it.unitKobo;
    total += amount;
    vat += halfUp(amount * 75, 1075);
    j.line(lr(it.name.slice(0, 18), `${it.qty}  ${naira(it.unitKobo)}  ${naira(amount)}`));
  }
  const pay = o.pay ?? 'CASH';
  const tendered = pay === 'CASH' ? (o.tenderedKobo ?? Math.ceil(total / 100_000) * 100_000) : total;
  j.line('-'.repeat(W))
    .cmd(ESC, 0x45, 1)
    .line(lr('TOTAL', naira(total)))
    .cmd(ESC, 0x45, 0)
    .line(lr('VAT 7.5% (incl.)', naira(vat)))
    .line(lr(pay, naira(tendered)));
  if (pay === 'CASH') j.line(lr('CHANGE', naira(tendered - total)));
  return j.line('-'.repeat(W)).cmd(ESC, 0x61, 1).line('Thank you for shopping with us!').cut().bytes();
}

/** ng-restaurant: two lines per item, VAT 7.5 % added on the subtotal (per item, rounded). */
export function restaurantBill(
  no: number,
  items: SampleItem[],
  o: { at: Date; pay?: 'Card' | 'Cash' | 'Transfer'; table?: number },
): Buffer {
  const t = lagos(o.at);
  const j = new Job().cmd(ESC, 0x61, 1, ESC, 0x21, 0x10).line('MAMA PUT KITCHEN').cmd(ESC, 0x21, 0, ESC, 0x61, 0);
  j.line(lr(`Bill No. ${no}`, `${t.ymd} ${t.hm}`, 32))
    .line(`Table ${o.table ?? 4}`)
    .line('-'.repeat(32));
  let sub = 0,
    vat = 0;
  for (const it of items) {
    const amount = it.qty * it.unitKobo;
    sub += amount;
    vat += halfUp(amount * 75, 1000);
    j.line(`${it.qty} x ${naira(it.unitKobo)}`).line(lr(it.name.slice(0, 20), naira(amount), 32));
  }
  const pay = o.pay ?? 'Card';
  return j
    .line('-'.repeat(32))
    .line(lr('Subtotal', naira(sub), 32))
    .line(lr('VAT 7.5%', naira(vat), 32))
    .cmd(ESC, 0x21, 0x08)
    .line(lr('Total', naira(sub + vat), 32))
    .cmd(ESC, 0x21, 0)
    .line(lr(`Paid by ${pay}`, naira(sub + vat), 32))
    .cut()
    .bytes();
}

/** A kitchen order ticket from the same register: printed, but not a sale. */
export function kitchenTicket(no: number, items: SampleItem[]): Buffer {
  const j = new Job().line('** KITCHEN ORDER **').line(`Bill No. ${no}`);
  for (const it of items) j.line(`${it.qty} x ${it.name}`);
  return j.cut().bytes();
}

const GOODS: SampleItem[] = [
  { name: 'Peak Milk 400g', qty: 2, unitKobo: 125_000 },
  { name: 'Golden Penny Sgt 1kg', qty: 1, unitKobo: 110_000 },
  { name: 'Indomie Chicken x40', qty: 1, unitKobo: 980_000 },
  { name: 'Café Nescafé 50g', qty: 3, unitKobo: 85_050 },
  { name: 'Crème Caramel', qty: 1, unitKobo: 45_000 },
  { name: 'Dano Slim 360g', qty: 2, unitKobo: 298_000 },
];
const DISHES: SampleItem[] = [
  { name: 'Jollof Rice', qty: 2, unitKobo: 150_000 },
  { name: 'Zobo 50cl', qty: 1, unitKobo: 80_000 },
  { name: 'Pepper Soup (goat)', qty: 1, unitKobo: 350_000 },
  { name: 'Plantain', qty: 3, unitKobo: 50_000 },
];

/** A deterministic PRNG (mulberry32): the same "random" stream on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The n-th receipt of a varied stream (1–4 items, cash or POS). */
export function nthSupermarketReceipt(n: number, at: Date, rnd = prng(n)): Buffer {
  const count = 1 + Math.floor(rnd() * 4);
  const items = Array.from({ length: count }, () => ({ ...GOODS[Math.floor(rnd() * GOODS.length)]!, qty: 1 + Math.floor(rnd() * 3) }));
  return supermarketReceipt(n, items, { at, pay: rnd() < 0.5 ? 'CASH' : 'POS' });
}

export function sampleRestaurantBill(n: number, at: Date): Buffer {
  return restaurantBill(n, DISHES.slice(0, 1 + (n % DISHES.length)), { at, pay: n % 2 ? 'Card' : 'Cash' });
}

export const SAMPLE_GOODS = GOODS;
export const SAMPLE_DISHES = DISHES;
