// Templates for the real print captures' layouts (../shared/fixtures/real-print), written from
// the captures the way a user would in the template tester. Test data, not shipped.
import type { TemplateInput } from '../../shared/sources/register-link/template';

const DE = String.raw`\d{1,3}(?:\.\d{3})*,\d{2}`;
const US = String.raw`\d{1,3}(?:,\d{3})*\.\d{2}`;
const KR = String.raw`\d{1,3}(?:,\d{3})*`;

export const REAL_TEMPLATES: TemplateInput[] = [
  {
    id: 'de-xetron',
    name: 'XETRON gastro (DE)',
    currency: 'EUR',
    decimal: ',',
    utc_offset: '+02:00',
    not_sale: String.raw`^\s*\* (GETRÄNKE|SPEISEN|KÜCHE) \*$`,
    fields: {
      item: [
        {
          pattern: String.raw`^\s*(?<qty>\d+) x (?<unit_price>${DE})\n\s*(?<name>\S.*?)\s{2,}(?<amount>${DE}) (?<tax_class>[A-Z])$`,
          lines: 2,
        },
      ],
      total: [{ pattern: String.raw`^\s*!?\s*Total\s+(?<amount>${DE}) EUR` }],
      tax: [
        {
          pattern: String.raw`^\s*Umsatz (?<rate>\d+)% exkl\.\s+(?<net>${DE}) EUR\s+[A-Z]\n\s*MwSt \d+%\s+(?<amount>${DE}) EUR\s+(?<tax_class>[A-Z])$`,
          lines: 2,
        },
      ],
      payment: [{ pattern: String.raw`^\s*!*(?<method>BAR|EC-Karte|Kreditkarte)\s+(?<amount>${DE}) EUR` }],
      date: [{ pattern: String.raw`Datum und Zeit: (?<date>\d{2}\.\d{2}\.\d{4}) (?<time>\d{2}:\d{2}:\d{2})` }],
      receipt_no: [{ pattern: String.raw`PGM\s+Rg\.-Nr\.: (?<receipt_no>\d+)` }],
    },
    payment_methods: { BAR: 'cash', 'EC-Karte': 'card', Kreditkarte: 'card' },
    tax_classes: {
      A: { category: 'STANDARD_VAT', rate: '19', inclusive: true },
      B: { category: 'REDUCED_VAT', rate: '7', inclusive: true },
    },
    date_order: 'DMY',
  },
  {
    id: 'us-examplemart',
    name: 'escpos-php ExampleMart (US)',
    currency: 'USD',
    decimal: '.',
    fields: {
      item: [{ pattern: String.raw`^(?<name>\S.*?)\s{2,}(?<amount>${US})$` }],
      subtotal: [{ pattern: String.raw`^Subtotal\s+(?<amount>${US})$` }],
      tax: [{ pattern: String.raw`^A local tax\s+(?<amount>${US})$` }],
      total: [{ pattern: String.raw`^Total\s+\$ (?<amount>${US})$` }],
    },
    tax: { category: 'STANDARD_VAT', rate: '10', inclusive: false },
  },
  {
    id: 'kr-cafe',
    name: 'Korean café POS',
    encoding: 'utf8',
    currency: 'KRW',
    decimal: '.',
    utc_offset: '+09:00',
    tax_tolerance: '1',
    fields: {
      item: [{ pattern: String.raw`^ (?<name>\S.*?)\s{2,}(?<unit_price>${KR})\s+(?<qty>\d+)\s+(?<amount>${KR})$` }],
      tax: [{ pattern: String.raw`^부가세과세합계:\s+(?<net>${KR})\n부\s+가\s+세:\s+(?<amount>${KR})$`, lines: 2 }],
      total: [{ pattern: String.raw`^합\s+계:\s+(?<amount>${KR})$` }],
      payment: [{ pattern: String.raw`^\s+\((?<method>현\s+금|카\s+드)\)\s+(?<amount>${KR})$` }],
      change: [{ pattern: String.raw`^거\s+스\s+름:\s+(?<amount>${KR})$` }],
      date: [{ pattern: String.raw`^(?<date>\d{4}-\d{2}-\d{2}) (?<time>\d{2}:\d{2}:\d{2})$` }],
      ignore: [{ pattern: String.raw`^[=-]+$` }, { pattern: String.raw`^받\s+은\s+돈:` }],
    },
    payment_methods: { '현    금': 'cash', '카    드': 'card' },
    tax: { category: 'STANDARD_VAT', rate: '10', inclusive: true },
    date_order: 'YMD',
  },
  {
    id: 'us-spoton',
    name: 'SpotOn restaurant (US)',
    currency: 'USD',
    decimal: '.',
    utc_offset: '-05:00',
    fields: {
      item: [{ pattern: String.raw`^(?<qty>\d+)\s+(?<name>\S.*?)\s{2,}(?<amount>${US})$` }],
      subtotal: [{ pattern: String.raw`^Subtotal\s+(?<amount>${US})$` }],
      tax: [{ pattern: String.raw`^Sales Tax\s+(?<amount>${US})$` }],
      total: [{ pattern: String.raw`^Total\s+(?<amount>${US})$` }],
      payment: [{ pattern: String.raw`^\s+(?<method>Visa|Mastercard|Amex|Discover|Cash)\b.*?\s{2,}(?<amount>${US})$` }],
      date: [{ pattern: String.raw`^Closed: (?<date>\d{2}/\d{2}/\d{4}) (?<time>\d{1,2}:\d{2} [ap]m)$` }],
      receipt_no: [{ pattern: String.raw`^Order: (?<receipt_no>\d+)` }],
      ignore: [{ pattern: String.raw`Balance Due` }, { pattern: String.raw`^Pay With Cash:` }],
    },
    payment_methods: { Visa: 'card', Mastercard: 'card', Amex: 'card', Discover: 'card', Cash: 'cash' },
    tax: { category: 'ZERO_VAT', rate: '0', inclusive: false },
    date_order: 'MDY',
  },
  {
    id: 'cn-bill',
    name: 'Chinese restaurant bill',
    encoding: 'gb18030',
    currency: 'CNY',
    decimal: '.',
    utc_offset: '+08:00',
    fields: {
      item: [{ pattern: String.raw`^(?<name>\S+)\s+(?<qty>\d+(?:\.\d+)?)\s+(?<unit>\S)\s+(?<amount>\d+\.\d{2})$` }],
      subtotal: [{ pattern: String.raw`消费合计：(?<amount>\d+\.\d{2})$` }],
      total: [{ pattern: String.raw`应收金额：(?<amount>\d+\.\d{2})$` }],
      date: [{ pattern: String.raw`^打印时间：(?<date>\d{4}-\d{1,2}-\d{1,2})\s+(?<time>\d{2}:\d{2}:\d{2})$` }],
      receipt_no: [{ pattern: String.raw`^单号：(?<receipt_no>\d+)` }],
    },
    default_payment: 'cash',
    tax: { category: 'EXEMPTED', rate: '0', inclusive: true },
    date_order: 'YMD',
  },
  {
    id: 'cn-hotpot',
    name: 'Chinese hot-pot order slip',
    encoding: 'gb18030',
    currency: 'CNY',
    decimal: '.',
    utc_offset: '+08:00',
    fields: {
      item: [{ pattern: String.raw`^(?<name>\S+)\s+(?<unit_price>\d+)\s+(?<qty>\d+)(?<unit>[^\d\s])\s+(?<amount>\d+)$` }],
      subtotal: [{ pattern: String.raw`^菜品价格合计\s+(?<amount>\d+)$` }],
      total: [{ pattern: String.raw`^订单金额\s+(?<amount>\d+)$` }],
    },
    tax: { category: 'EXEMPTED', rate: '0', inclusive: true },
  },
];
REAL_TEMPLATES.push({
  ...REAL_TEMPLATES.find((t) => t.id === 'kr-cafe')!,
  id: 'kr-cafe-mojibake',
  name: 'Korean café POS (mojibake capture)',
  encoding: 'mojibake:euc-kr',
});
