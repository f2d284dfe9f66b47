// Settings errors next to the field they concern: a service message like
// "settings.update: firs.baseUrl: must be https://…; managerPin.current: wrong PIN" is split
// into its "path: problem" parts and each part goes to the form field named by its path.
// Parts naming no field on the form stay in the general message.

/** Request paths (as the service names them) → the Settings form's field keys. */
const FIELD_OF: Record<string, string> = {
  'firs.baseUrl': 'firs.baseUrl',
  'firs.apiKey': 'firs.apiKey',
  'firs.apiSecret': 'firs.apiSecret',
  'cloud.baseUrl': 'cloud.baseUrl',
  'cloud.token': 'cloud.token',
  'printer.interface': 'printer.interface',
  'serial.path': 'serial.path',
  'serial.baudRate': 'serial.baud',
  'managerPin.current': 'pin.current',
  'managerPin.next': 'pin.next',
  cryptoKeys: 'keys',
  'business.name': 'b.name',
  'business.tin': 'b.tin',
  'business.email': 'b.email',
  'business.business_id': 'b.business_id',
  'business.service_id': 'b.service_id',
  'business.terminal': 'b.terminal',
};

export interface SplitErrors {
  fields: Record<string, string>;
  general: string | null;
}

/** `known`: more form keys named by their request path as is (a POS connection's `pos.<vendor>.<key>`). */
export function splitFieldErrors(text: string, known: ReadonlySet<string> = new Set()): SplitErrors {
  const body = text.replace(/^settings\.update: /, '');
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const part of body.split('; ')) {
    const m = /^([\w.[\]]+): ([\s\S]*)$/.exec(part);
    const key = m ? (FIELD_OF[m[1]!] ?? (known.has(m[1]!) ? m[1]! : undefined)) : undefined;
    if (key && m) fields[key] = fields[key] ? `${fields[key]}; ${m[2]!}` : m[2]!;
    else rest.push(part);
  }
  return { fields, general: rest.length ? rest.join('; ') : null };
}
