// Rows checked at the boundary: every row a data module returns is parsed by a zod schema of the
// columns it selects, so a schema drift (a renamed column, a NULL where none was expected, a
// ledger written by another version) is an error naming the query and the column, not a value
// of the wrong type travelling on under an `as` cast.
import type { Statement } from 'better-sqlite3';
import { z } from 'zod';

export class RowError extends Error {
  constructor(what: string, issues: z.ZodIssue[]) {
    super(`ledger row (${what}) is not as expected: ${issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`).join('; ')}`);
    this.name = 'RowError';
  }
}

export function parseRow<S extends z.ZodTypeAny>(schema: S, what: string, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new RowError(what, r.error.issues);
  return r.data as z.output<S>;
}

/** The first row of `st`, checked; undefined when there is none. */
export function one<S extends z.ZodTypeAny>(schema: S, what: string, st: Statement, ...params: unknown[]): z.output<S> | undefined {
  const row: unknown = st.get(...params);
  return row === undefined ? undefined : parseRow(schema, what, row);
}

/** Every row of `st`, checked. */
export function many<S extends z.ZodTypeAny>(schema: S, what: string, st: Statement, ...params: unknown[]): z.output<S>[] {
  return st.all(...params).map((row) => parseRow(schema, what, row));
}

/** Column types as SQLite STRICT tables return them. */
export const col = {
  int: z.number().int(),
  text: z.string(),
  /** 0/1 flag columns. */
  flag: z.union([z.literal(0), z.literal(1)]).transform((v) => v === 1),
  /** A JSON text column, parsed (the caller's schema checks the value). */
  json: z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `invalid JSON (${(e as Error).message})` });
      return z.NEVER;
    }
  }),
} as const;

/** `SELECT COUNT(*) AS n …` */
export const CountRow = z.object({ n: col.int });
