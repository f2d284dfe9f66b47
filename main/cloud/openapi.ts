// Builds the OpenAPI 3.1 document of the TaxPoynt cloud upload API from the zod wire schemas
// (wire.ts), and renders it as YAML. docs/openapi/taxpoynt-cloud.yaml is this output; a test
// fails when the two differ (regenerate with UPDATE_OPENAPI=1 npx vitest run test/sync/openapi.test.ts).
import { z } from 'zod';
import {
  CLOUD_PATHS,
  CloudError,
  CloudInvoice,
  DaySummary,
  DaySummaryResponse,
  InvoiceBatchRequest,
  InvoiceBatchResponse,
  InvoiceResult,
} from './wire';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function cloudOpenApi(): Record<string, Json> {
  const reg = z.registry<{ id: string }>();
  const schemas = { CloudInvoice, InvoiceBatchRequest, InvoiceResult, InvoiceBatchResponse, DaySummary, DaySummaryResponse, CloudError };
  for (const [id, s] of Object.entries(schemas)) reg.add(s, { id });
  const generated = z.toJSONSchema(reg, { uri: (id) => `#/components/schemas/${id}` }).schemas as Record<string, Record<string, Json>>;
  const components: Record<string, Json> = {};
  for (const [id, s] of Object.entries(generated)) {
    const { $schema: _s, $id: _i, ...rest } = s;
    components[id] = rest;
  }
  const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
  const json = (id: string) => ({ 'application/json': { schema: ref(id) } });
  const errors = {
    '400': {
      description: 'The request does not match the schema (message names the field), or the Idempotency-Key is missing',
      content: json('CloudError'),
    },
    '401': { description: 'Missing, invalid or expired bearer token', content: json('CloudError') },
    '413': { description: 'The batch is too large', content: json('CloudError') },
    '429': {
      description: 'Rate limited; retry after the Retry-After header (seconds or an HTTP date)',
      headers: { 'Retry-After': { schema: { type: 'string' } } },
      content: json('CloudError'),
    },
    '5XX': { description: 'Server error: retry later with the same Idempotency-Key', content: json('CloudError') },
  };
  const idempotency = {
    name: 'Idempotency-Key',
    in: 'header',
    required: true,
    schema: { type: 'string', maxLength: 200 },
    description:
      'Stable for the same content across retries. A request repeated with a key already answered gets the same answer again (replay), without storing anything twice.',
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'TaxPoynt cloud upload API',
      version: '1.0.0',
      description:
        'What a TaxPoynt POS terminal uploads: its issued invoices (FIRS invoice JSON, canonical sale, hash-chain link, FIRS/NRS report state) and a summary of each closed day. Amounts are integer kobo. Every request carries a bearer token and an Idempotency-Key; every invoice carries its own idempotency key (IRN + report state), so an invoice is stored once per report state however often it is sent.',
    },
    servers: [{ url: 'https://api.taxpoynt.com', description: 'configurable per install (Settings → TaxPoynt cloud)' }],
    security: [{ bearer: [] }],
    paths: {
      [CLOUD_PATHS.invoiceBatches]: {
        post: {
          operationId: 'uploadInvoiceBatch',
          summary: 'Upload a batch of invoices (bounded by count and bytes by the client)',
          parameters: [idempotency],
          requestBody: { required: true, content: json('InvoiceBatchRequest') },
          responses: {
            '200': {
              description: 'One result per invoice: accepted, duplicate (already stored under that key) or rejected with a reason',
              content: json('InvoiceBatchResponse'),
            },
            ...errors,
          },
        },
      },
      [CLOUD_PATHS.zReports]: {
        post: {
          operationId: 'uploadDaySummary',
          summary: 'Upload the summary (Z report) of a closed Lagos calendar day',
          parameters: [idempotency],
          requestBody: { required: true, content: json('DaySummary') },
          responses: { '200': { description: 'accepted, duplicate or rejected', content: json('DaySummaryResponse') }, ...errors },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The install token from the TaxPoynt dashboard' } },
      schemas: components,
    },
  };
}

/** A small YAML emitter for JSON values (block style; strings double-quoted as JSON, which YAML accepts). */
export function toYaml(value: Json, indent = ''): string {
  const scalar = (v: Json): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  const isEmpty = (v: Json) => (Array.isArray(v) ? v.length === 0 : v !== null && typeof v === 'object' && Object.keys(v).length === 0);
  if (value === null || typeof value !== 'object') return `${scalar(value)}\n`;
  if (isEmpty(value)) return Array.isArray(value) ? '[]\n' : '{}\n';
  const lines: string[] = [];
  const key = (k: string) =>
    /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(k) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(k) ? k : JSON.stringify(k);
  const child = (v: Json) => v !== null && typeof v === 'object' && !isEmpty(v);
  if (Array.isArray(value)) {
    for (const v of value) {
      if (child(v)) {
        const body = toYaml(v, `${indent}  `);
        lines.push(`${indent}- ${body.slice(indent.length + 2)}`);
      } else lines.push(`${indent}- ${toYaml(v).trimEnd()}\n`);
    }
  } else {
    for (const [k, v] of Object.entries(value)) {
      if (child(v)) lines.push(`${indent}${key(k)}:\n${toYaml(v, `${indent}  `)}`);
      else lines.push(`${indent}${key(k)}: ${toYaml(v).trimEnd()}\n`);
    }
  }
  return lines.join('');
}

export function cloudOpenApiYaml(): string {
  return `# Generated from main/cloud/wire.ts by main/cloud/openapi.ts: do not edit by hand.\n${toYaml(cloudOpenApi())}`;
}
