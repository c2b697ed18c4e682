import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The API descriptions shipped in `packages/testkit/openapi/`. */
export type OpenApiDocumentName =
  | 'cohere-openapi.yaml'
  | 'pinecone-db_control_2026-04.oas.yaml'
  | 'pinecone-db_data_2026-04.oas.yaml'
  | 'pinecone-inference_2026-04.oas.yaml'
  | 'tei-openapi.json';

/** The outcome of one validation: `ok`, or the schema errors as readable lines. */
export type OpenApiValidation = { ok: true } | { ok: false; errors: string[] };

type OperationObject = {
  requestBody?: { $ref?: string; content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
};

type SpecDocument = {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  [key: string]: unknown;
};

/**
 * Validates request and response bodies against one operation of a published OpenAPI document.
 * Emulators call it on every request they receive and every response they send, so a test fails
 * when the SDK, the adapter or the emulator drifts from the vendor's contract.
 */
export class OpenApiValidator {
  private readonly spec: SpecDocument;
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction | null>();
  private readonly routes: { method: string; template: string; pattern: RegExp }[] = [];

  /** Loads `name` from the testkit's `openapi/` folder. */
  constructor(name: OpenApiDocumentName) {
    const path = fileURLToPath(new URL(`../openapi/${name}`, import.meta.url));
    this.spec = parse(readFileSync(path, 'utf8'), { maxAliasCount: -1 }) as SpecDocument;
    const options = { strict: false, allErrors: true, validateSchema: false } as const;
    // OpenAPI 3.1 schemas are JSON Schema 2020-12; 3.0 schemas are draft-04-like with `nullable`.
    this.ajv = this.spec.openapi.startsWith('3.1') ? new Ajv2020(options) : new Ajv(options);
    addFormats(this.ajv);
    this.ajv.addSchema(
      toJsonSchemaTree(this.spec, !this.spec.openapi.startsWith('3.1')) as AnySchema,
      'spec',
    );
    for (const [template, item] of Object.entries(this.spec.paths)) {
      for (const method of Object.keys(item)) {
        const pattern = new RegExp(
          `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`,
        );
        this.routes.push({ method: method.toLowerCase(), template, pattern });
      }
    }
  }

  /** The path template (`/indexes/{index_name}`) that a concrete path matches, if any. */
  matchPath(method: string, path: string): string | undefined {
    const lowerMethod = method.toLowerCase();
    const exact = this.routes.find(
      (route) => route.method === lowerMethod && route.template === path,
    );
    if (exact) return exact.template;
    return this.routes.find((route) => route.method === lowerMethod && route.pattern.test(path))
      ?.template;
  }

  /** Validates a JSON request body for `method path` (a concrete path or a template). */
  validateRequest(method: string, path: string, body: unknown): OpenApiValidation {
    const template = this.requireTemplate(method, path);
    const pointer = this.requestSchemaPointer(method.toLowerCase(), template);
    if (pointer === undefined) return { ok: true };
    return this.run(pointer, body);
  }

  /**
   * Validates a JSON response body for `method path` and `status`. A status the operation does
   * not document is itself an error (emulators must only send what the service can send).
   */
  validateResponse(method: string, path: string, status: number, body: unknown): OpenApiValidation {
    const template = this.requireTemplate(method, path);
    const lowerMethod = method.toLowerCase();
    const operation = this.spec.paths[template]?.[lowerMethod];
    const responses = operation?.responses ?? {};
    const key =
      String(status) in responses
        ? String(status)
        : `${String(status)[0]}XX` in responses
          ? `${String(status)[0]}XX`
          : 'default' in responses
            ? 'default'
            : undefined;
    if (key === undefined) {
      return {
        ok: false,
        errors: [`status ${status} is not documented for ${method} ${template}`],
      };
    }
    const base = `#/paths/${escapePointer(template)}/${lowerMethod}/responses/${escapePointer(key)}`;
    const pointer = this.contentSchemaPointer(base, responses[key]);
    if (pointer === undefined) return { ok: true };
    return this.run(pointer, body);
  }

  /** Throws with every schema error when `validation` failed; used by emulators. */
  static assertValid(validation: OpenApiValidation, what: string): void {
    if (!validation.ok) {
      throw new Error(`${what} violates the API description:\n  ${validation.errors.join('\n  ')}`);
    }
  }

  private requireTemplate(method: string, path: string): string {
    const template = this.matchPath(method, path);
    if (template === undefined)
      throw new Error(`No operation ${method} ${path} in the API description`);
    return template;
  }

  private requestSchemaPointer(method: string, template: string): string | undefined {
    const requestBody = this.spec.paths[template]?.[method]?.requestBody;
    const base = `#/paths/${escapePointer(template)}/${method}/requestBody`;
    return this.contentSchemaPointer(base, requestBody);
  }

  /** Follows `$ref`s between response/request-body objects to the JSON content's schema. */
  private contentSchemaPointer(
    base: string,
    object: { $ref?: string; content?: Record<string, { schema?: unknown }> } | undefined,
  ): string | undefined {
    let pointer = base;
    let current = object;
    while (current?.$ref !== undefined) {
      pointer = current.$ref;
      current = resolvePointer(this.spec, current.$ref) as typeof current;
    }
    const contentType = Object.keys(current?.content ?? {}).find(
      (type) => type.includes('json') || type === '*/*',
    );
    if (contentType === undefined || current?.content?.[contentType]?.schema === undefined) {
      return undefined;
    }
    return `${pointer}/content/${escapePointer(contentType)}/schema`;
  }

  private run(pointer: string, body: unknown): OpenApiValidation {
    let validate = this.compiled.get(pointer);
    if (validate === undefined) {
      validate = this.ajv.compile({ $ref: `spec${pointer}` });
      this.compiled.set(pointer, validate);
    }
    if (validate === null || validate(body)) return { ok: true };
    return {
      ok: false,
      errors: (validate.errors ?? []).map(
        (error) =>
          `${error.instancePath || '(root)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
      ),
    };
  }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function resolvePointer(document: unknown, reference: string): unknown {
  const segments = reference.replace(/^#\//, '').split('/');
  let current: unknown = document;
  for (const segment of segments) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    current = (current as Record<string, unknown> | undefined)?.[key];
  }
  return current;
}

/**
 * Prepares the document for ajv: `$ref`s become `spec#/...` so they resolve inside the added
 * schema, and (OpenAPI 3.0) `nullable: true` becomes a `null` branch, which ajv does not infer.
 */
function toJsonSchemaTree(node: unknown, openApi30: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => toJsonSchemaTree(item, openApi30));
  if (node === null || typeof node !== 'object') return node;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) {
      result[key] = `spec${value}`;
    } else {
      result[key] = toJsonSchemaTree(value, openApi30);
    }
  }
  if (openApi30 && result.nullable === true) {
    const { nullable: _nullable, ...schema } = result;
    return { anyOf: [schema, { type: 'null' }] };
  }
  return result;
}
