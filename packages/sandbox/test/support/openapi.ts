/**
 * Validates an answer of a fake platform against the platform's official OpenAPI (or
 * Swagger 2) description, with a real JSON Schema validator (Ajv). Only for tests inside
 * `describeWithSpecs`: the specs live outside the repository.
 */
import SwaggerParser from "@apidevtools/swagger-parser";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

type Document = Awaited<ReturnType<typeof SwaggerParser.dereference>>;

const documents = new Map<string, Promise<Document>>();

/** Loads and dereferences a spec file once. */
export function loadSpec(path: string): Promise<Document> {
  let document = documents.get(path);
  if (document === undefined) {
    document = SwaggerParser.dereference(path);
    documents.set(path, document);
  }
  return document;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
addFormats.default(ajv);
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * The schema errors of a JSON body against the response of `method path status` in the
 * spec (an empty list when it conforms).
 *
 * @throws Error when the spec has no such operation or response: a test of a path the
 *   spec does not describe is a mistake, not a pass.
 */
export async function responseErrors(
  specFile: string,
  method: string,
  path: string,
  status: number,
  body: unknown,
): Promise<string[]> {
  const document = (await loadSpec(specFile)) as unknown as {
    paths: Record<string, Record<string, { responses: Record<string, Record<string, unknown>> }>>;
  };
  const operation = document.paths[path]?.[method.toLowerCase()];
  if (operation === undefined) throw new Error(`The spec has no ${method} ${path}`);
  const response = operation.responses[String(status)] ?? operation.responses.default;
  if (response === undefined)
    throw new Error(`The spec has no ${status} answer for ${method} ${path}`);
  const schema =
    (response.content as Record<string, { schema?: object }> | undefined)?.["application/json"]
      ?.schema ?? (response.schema as object | undefined);
  if (schema === undefined)
    throw new Error(`The spec gives no JSON schema for ${method} ${path} ${status}`);
  return schemaErrors(schema, body);
}

/** The schema errors of a value against a plain JSON Schema (an empty list when it conforms). */
export function schemaErrors(schema: object, value: unknown): string[] {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate(value)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message}`);
}

/**
 * The schema errors of a JSON request body against the request body of `method path` in
 * the spec (an empty list when it conforms). `path` is the spec's path template, e.g.
 * `/listings/2021-08-01/items/{sellerId}/{sku}`.
 *
 * @throws Error when the spec has no such operation or no JSON request body for it.
 */
export async function requestErrors(
  specFile: string,
  method: string,
  path: string,
  body: unknown,
): Promise<string[]> {
  const document = (await loadSpec(specFile)) as unknown as {
    paths: Record<
      string,
      Record<
        string,
        {
          requestBody?: { content?: Record<string, { schema?: object }> };
          parameters?: { in: string; schema?: object }[];
        }
      >
    >;
  };
  const operation = document.paths[path]?.[method.toLowerCase()];
  if (operation === undefined) throw new Error(`The spec has no ${method} ${path}`);
  const schema =
    operation.requestBody?.content?.["application/json"]?.schema ??
    operation.parameters?.find((p) => p.in === "body")?.schema;
  if (schema === undefined)
    throw new Error(`The spec gives no JSON request body for ${method} ${path}`);
  return schemaErrors(schema, body);
}

/** A request as a {@link recordingFetch} saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  /** The body as text, when there was one. */
  readonly body: string | undefined;
}

/**
 * A `fetch` that records every request before passing it on, so that a test can check
 * each request an adapter sent against the platform's spec.
 */
export function recordingFetch(inner: typeof fetch = fetch): {
  readonly fetch: typeof fetch;
  readonly requests: RecordedRequest[];
} {
  const requests: RecordedRequest[] = [];
  const recorder: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const body = request.body === null ? undefined : await request.clone().text();
    requests.push({
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body,
    });
    return inner(request);
  };
  return { fetch: recorder, requests };
}
