// Sale messages over a serial cable (socat pseudo-terminal pair) when the line carries what no
// register should send: binary noise, a frame longer than the 1 MiB line limit, JSON that is not a
// sale, CRLF endings and blank lines. Each bad line is NAKed with what is wrong and kept as a
// rejected capture; nothing is issued for it, and the good line after it is still ACKed once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SerialPort } from 'serialport';
import { RegisterLinkStore } from '../../main/ledger/register-link-store';
import { tempDir } from '../support/fixture';
import { closeSerial, invoiceCount, openSerial, replies, SocatPair, startApp, until, writeSerial, type TestApp } from './support';

let app: TestApp | undefined;
let pair: SocatPair | undefined;
let register: SerialPort | undefined;

beforeEach(() => {
  app = undefined;
  pair = undefined;
  register = undefined;
});
afterEach(async () => {
  await closeSerial(register);
  await app?.stop();
  await pair?.kill();
});

const occurredAt = new Date(Date.now() - 120_000).toISOString();
const sale = (id: string, amount = '1075.00') =>
  JSON.stringify({
    external_id: id,
    occurred_at: occurredAt,
    currency: 'NGN',
    lines: [{ name: 'Soap', quantity: '1', unit_price: amount, tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } }],
    payments: [{ method: 'cash', amount }],
  });

async function connected(): Promise<{ got: string[] }> {
  pair = new SocatPair(tempDir());
  await pair.start();
  app = await startApp(
    { links: [{ id: 'till-1', mode: 'sales', port: { kind: 'serial', path: pair.app, baudRate: 115200 }, reconnectMs: 200 }] },
    { print: false },
  );
  await until(() => app!.service.status()[0]!.state === 'connected', 'the link to open');
  register = await openSerial(pair.register, 115200);
  return { got: replies(register) };
}

describe('register link, sales mode: what does not belong on the line', () => {
  it('a frame longer than 1 MiB (noise with no newline) is NAKed as too long, kept as rejected, and the next sale is ACKed', async () => {
    const { got } = await connected();
    // Binary noise without a newline runs into the next line: one frame of 1 MiB + 4 KiB.
    const noise = Buffer.alloc((1 << 20) + 4096);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 131 + 7) & 0xff;
    for (let i = 0; i < noise.length; i++) if (noise[i] === 0x0a) noise[i] = 0x0b;
    await writeSerial(register!, Buffer.concat([noise, Buffer.from(`${sale('B-1')}\n`)]));
    await writeSerial(register!, Buffer.from(`${sale('B-2')}\n`));
    await until(() => got.length === 2, 'two replies', 15_000);
    expect(got).toEqual(['NAK - line is longer than 1 MiB', 'ACK B-2']);
    expect(invoiceCount(app!.db)).toBe(1);
    const store = new RegisterLinkStore(app!.db);
    expect(store.counts('till-1')).toMatchObject({ issued: 1, rejected: 1 });
    // The whole frame was consumed: the stream position is past both lines.
    expect(store.streamLength('till-1')).toBe(noise.length + sale('B-1').length + 1 + sale('B-2').length + 1);
  });

  it('JSON that is not a sale, CRLF endings and blank lines: NAKs name the field, blank lines get no answer, CRLF sales are ACKed', async () => {
    const { got } = await connected();
    await writeSerial(
      register!,
      Buffer.from(
        [
          '[1,2,3]',
          '',
          '   ',
          JSON.stringify({ external_id: 'C-1', lines: [] }),
          JSON.stringify({ external_id: 'has space', lines: [] }),
          `${sale('C-2')}\r`,
          '',
        ].join('\n'),
      ),
    );
    await until(() => got.length === 4, 'four replies');
    expect(got).toEqual([
      'NAK - line is not a JSON object (one canonical sale per line)',
      'NAK C-1 occurred_at: Invalid input: expected string, received undefined; currency: Invalid input: expected string, received undefined; lines: a sale needs at least one line; payments: Invalid input: expected array, received undefined',
      // An id the register could not match in a reply line is not echoed.
      'NAK - external_id: must be 1-128 printable ASCII characters without spaces',
      'ACK C-2',
    ]);
    expect(invoiceCount(app!.db)).toBe(1);
    expect(new RegisterLinkStore(app!.db).counts('till-1')).toMatchObject({ issued: 1, rejected: 3 });
  });
});
