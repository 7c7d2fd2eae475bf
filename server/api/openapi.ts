/** The OpenAPI document, generated from the same zod schemas that validate requests. */
import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { OBJECTS, OBJECT_TYPES } from '../../contract';
import { ProviderL2Association } from '../../contract/schemas';
import { BatchReadRequest } from '../../contract/batch-read';
import { ValidateRequest } from '../../contract/validate';
import { simulatorDefaultsPatchSchema, simulatorHostConfigPatchSchema } from '../hypervisors/simulator/state';

const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(
        z.object({
          path: z.string(),
          message: z.string(),
          code: z.string().optional(),
          conflicting: z.object({ type: z.string(), uuid: z.string().optional(), name: z.string().optional() }).optional(),
        }),
      ),
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
  for (const type of OBJECT_TYPES) {
    const def = OBJECTS[type];
    const base = `/v1/${def.path}`;
    registry.registerPath({
      method: 'get',
      path: base,
      security,
      request: { query: z.object(Object.fromEntries(def.filters.map((f) => [f, z.string().optional()]))) },
      responses: { 200: json(`List of ${type}`), ...errors },
    });
    // Types the server makes itself (virtual routers) are read-only.
    if (def.create) {
      registry.registerPath({
        method: 'post',
        path: base,
        security,
        description: 'A retry with the same Idempotency-Key header gets the first answer back (24 h)',
        request: {
          headers: z.object({ 'Idempotency-Key': z.string().max(255).optional().openapi({ description: '1-255 visible ASCII characters, one per intended create' }) }),
          body: { content: { 'application/json': { schema: def.create } } },
        },
        responses: { 201: json(`The created ${type}`), ...errors },
      });
    }
    registry.registerPath({ method: 'get', path: `${base}/{uuid}`, security, request: { params: uuidParam }, responses: { 200: json(type), ...errors } });
    if (def.update) {
      registry.registerPath({
        method: 'patch',
        path: `${base}/{uuid}`,
        security,
        request: { params: uuidParam, body: { content: { 'application/json': { schema: def.update } } } },
        responses: { 200: json(`The updated ${type}`), ...errors },
      });
    }
    if (def.create) registry.registerPath({ method: 'delete', path: `${base}/{uuid}`, security, request: { params: uuidParam }, responses: { 204: { description: 'Deleted' }, ...errors } });
  }
  const providerL2Params = z.object({ uuid: z.string(), l2NetworkUuid: z.string() });
  registry.registerPath({
    method: 'post',
    path: '/v1/network-service-providers/{uuid}/l2-networks',
    security,
    description: 'Associate a network service provider with an L2 network',
    request: { params: uuidParam, body: { content: { 'application/json': { schema: ProviderL2Association } } } },
    responses: { 200: json('The provider with its L2 networks'), ...errors },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/network-service-providers/{uuid}/l2-networks/{l2NetworkUuid}',
    security,
    description: 'Disassociate a network service provider from an L2 network',
    request: { params: providerL2Params },
    responses: { 200: json('The provider with its L2 networks'), ...errors },
  });
  const simulatorPaths: Array<[string, object, z.ZodType]> = [
    ['/v1/simulator/hosts/{uuid}', { params: uuidParam }, simulatorHostConfigPatchSchema],
    ['/v1/simulator/defaults', {}, simulatorDefaultsPatchSchema],
  ];
  registry.registerPath({ method: 'get', path: '/v1/simulator/hosts', security, description: 'Simulator: every simulated host', responses: { 200: json('Simulated hosts'), ...errors } });
  registry.registerPath({
    method: 'get',
    path: '/v1/simulator/hosts/{uuid}/ops',
    security,
    description: "Simulator: the host's operation log (what was asked of it, when each op started and finished, and how it ended)",
    request: { params: uuidParam },
    responses: { 200: json('Operations, oldest first'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/simulator/services',
    security,
    description: 'Simulator: the network service endpoints each simulated host runs (leases, DNS records, nftables rulesets)',
    request: { query: z.object({ l3NetworkUuid: z.string().optional() }) },
    responses: { 200: json('Service endpoints by host'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/service-endpoints',
    security,
    description: 'Where the network services of L3 networks run and what they serve: per host, the virtual router, flat DHCP server or flat EIP namespace, its leases, DNS records, SNAT and EIPs',
    request: { query: z.object({ l3NetworkUuid: z.string().optional(), hostUuid: z.string().optional() }) },
    responses: { 200: json('Service endpoints'), ...errors },
  });
  for (const [path, request, patch] of simulatorPaths) {
    registry.registerPath({ method: 'get', path, security, description: 'Simulator state', request, responses: { 200: json('Simulator state'), ...errors } });
    registry.registerPath({
      method: 'patch',
      path,
      security,
      description: 'Simulator configuration (latency, interfaces, injected failures)',
      request: { ...request, body: { content: { 'application/json': { schema: patch } } } },
      responses: { 200: json('Simulator state'), ...errors },
    });
  }
  registry.registerPath({ method: 'get', path: '/v1/openapi.json', security, description: 'This document', responses: { 200: json('OpenAPI 3 document'), ...errors } });
  registry.registerPath({
    method: 'get',
    path: '/v1/identity',
    security,
    description: 'The certificate fingerprint the server presents to KVM agents (give it to `netforge agent --server-fingerprint`)',
    responses: { 200: json('{ version, agentClient: { fingerprint } }'), ...errors },
  });
  registry.registerPath({ method: 'get', path: '/healthz', security: [], description: 'Liveness; no token needed', responses: { 200: json('Status and version') } });
  registry.registerPath({
    method: 'post',
    path: '/v1/validate',
    security,
    description: 'Dry-run a batch of changes against current state; writes nothing',
    request: { body: { content: { 'application/json': { schema: ValidateRequest } } } },
    responses: { 200: json('Every violation, per change'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/overview',
    security,
    description: 'The whole topology in one read, as the live page (/ui) draws it: zones, clusters, hosts and the L2 networks realized on each, L2 and L3 networks with ranges, address usage and services, virtual routers, VMs, a Mermaid diagram, and a revision that changes when any of it does',
    responses: { 200: json('Overview'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/ui',
    security: [],
    description: 'The live topology page (HTML, no data of its own): it reads /v1/overview with the token given as /ui#token=<token> or in its form, and redraws as the topology changes',
    responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } } },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/batch-read',
    security,
    description: 'Read many objects of any types by uuid: each as its GET answers it, or null where none exists, in request order',
    request: { body: { content: { 'application/json': { schema: BatchReadRequest } } } },
    responses: { 200: json('{ objects: [object | null] }'), ...errors },
  });
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title: 'netforge control server', version },
    servers: [{ url: '/' }],
  });
}
