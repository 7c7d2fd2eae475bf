/** The OpenAPI document, generated from the same zod schemas that validate requests. */
import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { OPERATIONS } from '../services/operations';
import { ValidateRequest } from '../services/validate';

const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })),
    }),
  })
  .openapi('Error');

export function buildOpenApiDocument(version: string): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const security = [{ [bearer.name]: [] }];
  const errors = {
    400: { description: 'Malformed input or a broken rule', content: { 'application/json': { schema: ErrorBody } } },
    401: { description: 'Missing or wrong bearer token', content: { 'application/json': { schema: ErrorBody } } },
    404: { description: 'Unknown uuid', content: { 'application/json': { schema: ErrorBody } } },
    409: { description: 'Conflicts with existing state, or a host failed', content: { 'application/json': { schema: ErrorBody } } },
  };
  const json = (description: string) => ({ description, content: { 'application/json': { schema: z.object({}).passthrough() } } });
  const uuidParam = z.object({ uuid: z.string() });
  for (const ops of OPERATIONS) {
    const base = `/v1/${ops.path}`;
    registry.registerPath({
      method: 'get',
      path: base,
      security,
      request: { query: z.object(Object.fromEntries(ops.filters.map((f) => [f, z.string().optional()]))) },
      responses: { 200: json(`List of ${ops.type}`), ...errors },
    });
    registry.registerPath({
      method: 'post',
      path: base,
      security,
      request: { body: { content: { 'application/json': { schema: ops.createSchema } } } },
      responses: { 201: json(`The created ${ops.type}`), ...errors },
    });
    registry.registerPath({ method: 'get', path: `${base}/{uuid}`, security, request: { params: uuidParam }, responses: { 200: json(ops.type), ...errors } });
    if (ops.updateSchema) {
      registry.registerPath({
        method: 'patch',
        path: `${base}/{uuid}`,
        security,
        request: { params: uuidParam, body: { content: { 'application/json': { schema: ops.updateSchema } } } },
        responses: { 200: json(`The updated ${ops.type}`), ...errors },
      });
    }
    registry.registerPath({ method: 'delete', path: `${base}/{uuid}`, security, request: { params: uuidParam }, responses: { 204: { description: 'Deleted' }, ...errors } });
  }
  registry.registerPath({
    method: 'post',
    path: '/v1/validate',
    security,
    description: 'Dry-run a batch of changes against current state; writes nothing',
    request: { body: { content: { 'application/json': { schema: ValidateRequest } } } },
    responses: { 200: json('Every violation, per change'), ...errors },
  });
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title: 'netforge control server', version },
    servers: [{ url: '/' }],
  });
}
