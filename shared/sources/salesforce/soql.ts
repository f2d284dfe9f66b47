// SOQL built from values we do not control: every string literal escaped, every field name and
// date-time checked against its grammar, so no configured field or deal id can change the query.
// https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm

export class SoqlError extends Error {}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A quoted SOQL string literal. */
export function soqlString(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c]!)}'`;
}

/** A field path like BillingCity, TIN__c, Account.Name, Custom__r.Field__c. */
export function soqlField(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,79}(\.[A-Za-z][A-Za-z0-9_]{0,79}){0,4}$/.test(name)) {
    throw new SoqlError(`"${name}" is not a Salesforce field name`);
  }
  return name;
}

/** A date-time literal (unquoted in SOQL): normalised to UTC YYYY-MM-DDTHH:MM:SS.sssZ. */
export function soqlDateTime(iso: string): string {
  const ms = Date.parse(iso.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(ms)) throw new SoqlError(`"${iso}" is not a date-time`);
  return new Date(ms).toISOString();
}
