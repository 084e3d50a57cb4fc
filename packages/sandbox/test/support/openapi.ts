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
