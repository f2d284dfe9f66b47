// RFC 4180 CSV reading (no CSV library is installed): quoted fields with "" escapes and embedded
// commas and line breaks, CRLF or LF rows, a BOM tolerated. Errors name the row.
export class CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvError';
  }
}

/** Rows of fields; blank lines are skipped. */
export function parseCsv(text: string): string[][] {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // this field was quoted (text after the closing quote is an error)
  let line = 1;
  const endField = () => {
    row.push(field);
    field = '';
    wasQuoted = false;
  };
  const endRow = () => {
    endField();
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field !== '' || wasQuoted) throw new CsvError(`line ${line}: a quote inside an unquoted field (quote the whole field)`);
      quoted = true;
      wasQuoted = true;
    } else if (c === ',') endField();
    else if (c === '\r' && src[i + 1] === '\n') {
      endRow();
      line++;
      i++;
    } else if (c === '\n') {
      endRow();
      line++;
    } else {
      if (wasQuoted) throw new CsvError(`line ${line}: text after a closing quote`);
      field += c;
    }
  }
  if (quoted) throw new CsvError(`line ${line}: a quoted field is not closed`);
  if (field !== '' || row.length > 0 || wasQuoted) endRow();
  return rows;
}
