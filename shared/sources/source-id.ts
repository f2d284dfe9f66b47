// A source id as stored on sales, review items and capture state. Its own module (zod only) so the
// canonical sale can name it without importing the source descriptors, which import the mapper
// options, which import the sale: that cycle left TAX_CATEGORIES undefined at load time.
import { z } from 'zod';

export const SourceIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a source id like "square" (lower-case letters, digits, dashes)');
