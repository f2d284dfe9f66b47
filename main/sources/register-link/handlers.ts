// The manager UI's register-link channels (shared/ipc/contract.ts): view, save, test a template.
import { SerialPort } from 'serialport';
import { InvalidInput } from '../../../shared/domain/sale';
import type { Handler } from '../../app/handlers';
import type { AppServices } from '../../app/services';
import type { RegisterLinkView, TemplateTestView } from '../../../shared/ipc/contract';
import { testTemplate } from './template-test';

async function view(services: AppServices): Promise<RegisterLinkView> {
  const store = services.data.registerLink;
  const settings = services.settings.get('registerLink')!;
  // No serial subsystem (some containers): the list is just empty.
  const ports: RegisterLinkView['ports'] = await SerialPort.list().then(
    (l) => l.map((p) => ({ path: p.path, manufacturer: p.manufacturer ?? null })),
    () => [],
  );
  return {
    settings,
    status: (services.registerLink?.status() ?? []).map((s) => ({
      id: s.id,
      mode: s.mode,
      description: s.description,
      state: s.state,
      message: s.message,
      lastDataAt: s.lastDataAt,
      counts: s.counts,
    })),
    ports,
    captures: store.captures({ limit: 30 }).map((c) => ({
      id: c.id,
      link: c.link,
      mode: c.mode,
      status: c.status,
      reason: c.reason,
      text: c.text,
      externalId: c.external_id,
      irn: c.irn,
      receivedAt: c.received_at,
    })),
  };
}

export const registerLinkHandlers: {
  'registerLink.get': Handler<'registerLink.get'>;
  'registerLink.save': Handler<'registerLink.save'>;
  'registerLink.testTemplate': Handler<'registerLink.testTemplate'>;
} = {
  'registerLink.get': (_req, { services }) => view(services),

  'registerLink.save': async (req, { services }) => {
    const current = services.settings.get('registerLink')!;
    services.settings.set('registerLink', { links: req.links ?? current.links, templates: req.templates ?? current.templates });
    await services.restartBackground(); // the links reopen with the new settings
    return view(services);
  },

  'registerLink.testTemplate': (req, { services }) => {
    let input: { raw?: Uint8Array; text?: string };
    if (req.captureId !== undefined) {
      const c = services.data.registerLink.capture(req.captureId);
      if (!c) throw new InvalidInput(`captureId: no capture ${req.captureId}`);
      input = { raw: c.raw };
    } else input = { text: req.text ?? '' };
    const r = testTemplate(input, req.template, services.now());
    const receipts: TemplateTestView['receipts'] = r.receipts.map((x) => {
      const p = x.parsed;
      const fields: Record<string, string> = {};
      for (const k of ['total', 'subtotal', 'change', 'receipt_no', 'date', 'time'] as const) if (p[k] !== undefined) fields[k] = p[k]!;
      return {
        text: x.text,
        lines: p.lines.map((l) => ({
          index: l.index,
          text: l.text,
          field: l.field,
          ...(l.rule !== undefined ? { rule: l.rule } : {}),
          ...(l.continued ? { continued: true } : {}),
        })),
        items: p.items.map(({ line: _line, ...it }) => it),
        fields,
        taxes: p.taxes.map((t) => ({ amount: t.amount, ...(t.rate ? { rate: t.rate } : {}), ...(t.net ? { net: t.net } : {}) })),
        payments: p.payments.map((pay) => ({ amount: pay.amount, ...(pay.method ? { method: pay.method } : {}) })),
        missing: p.missing,
        outcome: x.result.kind,
        reasons: x.result.kind === 'mismatch' ? x.result.reasons : x.result.kind === 'not_sale' ? [x.result.reason] : [],
        externalId: x.result.kind === 'sale' ? x.result.sale.external_id : null,
        totals: x.totals ?? null,
      };
    });
    return { receipts };
  },
};
