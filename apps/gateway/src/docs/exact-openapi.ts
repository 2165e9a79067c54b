import { API_ERROR_CODES } from '@clientbook/platform';
import { PROXIED_ROUTES } from '../proxy/proxied-routes';
import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  PathItemObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';

const PROBLEM: SchemaObject = {
  type: 'object',
  description: 'An error (RFC 9457 problem details) with a stable `code`.',
  required: ['type', 'title', 'status', 'detail', 'code', 'help'],
  properties: {
    type: { type: 'string', description: 'a URI naming the kind of problem' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'what went wrong, for a person' },
    code: { type: 'string', enum: [...API_ERROR_CODES] },
    help: {
      type: 'string',
      description: 'the knowledge base’s article on this error: `/v1/kb/articles/error-<code with - for _>`',
      example: '/v1/kb/articles/error-non-unique-entry',
    },
    errors: {
      type: 'array',
      description: 'each field at fault (validation_failed, non_unique_entry, merge_blocked)',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: {
          field: { type: 'string', description: 'a path like `bankAccounts[0].iban`, or a client id' },
          message: { type: 'string' },
          code: { type: 'string' },
        },
      },
    },
  },
};

const RETRY_AFTER = {
  'Retry-After': {
    description: 'seconds to wait before trying again',
    schema: { type: 'integer', minimum: 0 },
  },
};

const problem = (description: string, withRetryAfter = false): ResponseObject => ({
  description,
  ...(withRetryAfter ? { headers: RETRY_AFTER } : {}),
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

// What every operation can answer, whatever its own errors (API.md "Conventions"): a path or query
// that is not safe or valid, a limit reached, a part that does not answer; 401/403 where a key is needed.
const EVERY_ROUTE: Readonly<Record<string, ResponseObject>> = {
  '400': problem('validation_failed: the path, the query or the body is not valid; `errors` names the field'),
  '429': problem('rate_limited: too many requests (per key, per tenant, per address)', true),
  '500': problem('internal: something went wrong on our side; the request was not completed'),
  '503': problem('unavailable: a service or the database does not answer; try again later', true),
};
const WITH_A_KEY: Readonly<Record<string, ResponseObject>> = {
  '401': problem('unauthorized: no key, or an unknown or revoked one'),
  '403': problem('forbidden: this key’s role may not do that'),
};

// What the gateway refuses before routing (http/request-target.ts): an id is never `.`/`..`,
// holds no slash, backslash, percent sign or control character; no query value holds a NUL.
const ID_PATTERN = '^(?!\\.{1,2}$)[^\\u0000-\\u001f\\u007f/\\\\%]+$';
const QUERY_PATTERN = '^[^\\u0000]*$';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

const isReference = (value: unknown): value is ReferenceObject =>
  typeof value === 'object' && value !== null && '$ref' in value;

/** Path parameters and string query parameters say what the gateway refuses in them. */
function describeParameters(operation: OperationObject): void {
  for (const parameter of operation.parameters ?? []) {
    if (isReference(parameter)) continue;
    const described: ParameterObject = parameter;
    const schema: SchemaObject = isReference(described.schema)
      ? {}
      : (described.schema ?? { type: 'string' });
    if (described.in === 'path') described.schema = { ...schema, type: 'string', pattern: ID_PATTERN };
    else if (described.in === 'query' && schema.type === 'string' && !schema.enum && !schema.pattern)
      described.schema = { ...schema, pattern: QUERY_PATTERN };
  }
}

/** The names of every schema a request body refers to, nested ones too. */
function requestSchemas(document: OpenAPIObject): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    if (isReference(value) && value.$ref.startsWith('#/components/schemas/')) {
      const name = value.$ref.slice('#/components/schemas/'.length);
      if (names.has(name)) return;
      names.add(name);
      visit(document.components?.schemas?.[name]);
      return;
    }
    for (const inner of Object.values(value)) visit(inner);
  };
  for (const item of Object.values(document.paths))
    for (const method of METHODS) visit(item[method]?.requestBody);
  return names;
}

/**
 * Makes the merged document say exactly what the API answers: the Problem schema; on every
 * operation the errors every route can give (400, 429, 500, 503; 401 and 403 where a key is
 * needed), each as application/problem+json; what the gateway refuses in path and query values;
 * `additionalProperties: false` on every request body schema (unknown fields are refused); the
 * tenant's company as the client fields it is.
 */
/** Whether an operation is one of the public routes (the help centre): no key needed. */
function isPublic(method: string, path: string): boolean {
  const template = path.replace(/\{([^}]+)\}/g, ':$1');
  return PROXIED_ROUTES.some(
    (route) => route.access === 'public' && route.method === method.toUpperCase() && route.path === template,
  );
}

export function exactOpenApi(input: OpenAPIObject): OpenAPIObject {
  const document = structuredClone(input);
  const schemas: Record<string, SchemaObject | ReferenceObject> = {
    ...document.components?.schemas,
    Problem: PROBLEM,
  };
  document.components = { ...document.components, schemas };

  for (const name of requestSchemas(document)) {
    const schema = schemas[name];
    if (isReference(schema)) continue;
    if (schema.type === 'object' || schema.properties) schema.additionalProperties = false;
    // OpenAPI 3.0: a nullable enum takes null only when its list has it.
    for (const property of Object.values(schema.properties ?? {}))
      if (!isReference(property) && property.nullable && property.enum && !property.enum.includes(null))
        property.enum = [...property.enum, null];
  }
  const tenant = schemas.CreateTenantDto;
  if (!isReference(tenant) && tenant?.properties?.company && schemas.CreateClientDto)
    tenant.properties.company = {
      description:
        'the client fields of the tenant’s own company (its kind is company), as POST /v1/clients takes them',
      allOf: [{ $ref: '#/components/schemas/CreateClientDto' }],
    };

  for (const [path, item] of Object.entries<PathItemObject>(document.paths)) {
    if (path.startsWith('/docs')) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const open = path === '/health' || isPublic(method, path);
      const needsKey = path !== '/health' && !open;
      // A public route takes no key; one that is sent is checked (401 when it is not good).
      const generic = {
        ...EVERY_ROUTE,
        ...(needsKey ? WITH_A_KEY : path === '/health' ? {} : { '401': WITH_A_KEY['401'] }),
      };
      for (const [status, response] of Object.entries(generic)) operation.responses[status] ??= response;
      // A response a route declared without a body (`@ApiResponse({ status: 409 })`) is a problem too.
      for (const [status, response] of Object.entries(operation.responses))
        if (Number(status) >= 400 && response && !isReference(response) && !response.content)
          operation.responses[status] = problem(response.description ?? '');
      if (needsKey) operation.security ??= [{ bearer: [] }];
      else if (path !== '/health') operation.security = [{}, { bearer: [] }];
      describeParameters(operation);
    }
  }
  return document;
}
