// The OpenAPI document in the repo is exactly what the shared zod wire schemas generate, is
// valid YAML, and names the operations; the fake cloud validates requests with the same schemas.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cloudOpenApi, cloudOpenApiYaml } from '../../main/cloud/openapi';

const FILE = 'docs/openapi/taxpoynt-cloud.yaml';

describe('docs/openapi/taxpoynt-cloud.yaml', () => {
  it('is up to date with main/cloud/wire.ts', () => {
    const text = cloudOpenApiYaml();
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(FILE, text);
    expect(readFileSync(FILE, 'utf8')).toBe(text);
  });

  it('parses as YAML back to the same document (js-yaml, from the dev toolchain)', () => {
    let yaml: { load(s: string): unknown };
    try {
      yaml = createRequire(import.meta.url)('js-yaml') as typeof yaml;
    } catch {
      console.warn('js-yaml is not installed: the YAML round trip is not checked');
      return;
    }
    expect(yaml.load(readFileSync(FILE, 'utf8'))).toEqual(JSON.parse(JSON.stringify(cloudOpenApi())));
  });

  it('documents both operations with bearer auth and an Idempotency-Key, and integer kobo', () => {
    const doc = cloudOpenApi() as {
      paths: Record<string, { post: { parameters: { name: string; required: boolean }[] } }>;
      components: { schemas: Record<string, { properties: Record<string, { type: string }> }> };
    };
    expect(Object.keys(doc.paths)).toEqual(['/v1/invoice-batches', '/v1/z-reports']);
    for (const p of Object.values(doc.paths))
      expect(p.post.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', required: true }));
    expect(doc.components.schemas.CloudInvoice!.properties.payable_kobo!.type).toBe('integer');
  });
});
