/**
 * Configuring the Simulator (over HTTP, so validated): per-host patches (latency,
 * interfaces, failures injected into each operation, network services' too) and the
 * defaults. A patch changes what it names; null resets to the default.
 */
import { z } from 'zod';
import { MAX_DEVICE_NAME_LENGTH } from '../../../hosts/linux/device-names';
import { SimulatorConfigError } from './errors';
import { MAX_SIMULATOR_LATENCY_MS } from './types';

const failureMessage = z.string().min(1).max(1024);
const interfacesSchema = z.union([z.literal('any'), z.array(z.string().min(1).max(MAX_DEVICE_NAME_LENGTH)).max(256)]);
const latencySchema = z.number().int().min(0).max(MAX_SIMULATOR_LATENCY_MS);

/**
 * Body of "configure a host", a patch: absent fields are unchanged, null resets a field to
 * the default. `failures` is merged per op: a message injects, null clears that op;
 * `failures: null` clears them all.
 */
export const simulatorHostConfigPatchSchema = z
  .object({
    latencyMs: latencySchema.nullable().optional(),
    interfaces: interfacesSchema.nullable().optional(),
    failures: z
      .object({
        check: failureMessage.nullable().optional(),
        realize: failureMessage.nullable().optional(),
        delete: failureMessage.nullable().optional(),
        preInstantiate: failureMessage.nullable().optional(),
        start: failureMessage.nullable().optional(),
        destroy: failureMessage.nullable().optional(),
        applyServices: failureMessage.nullable().optional(),
        removeServices: failureMessage.nullable().optional(),
      })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();
export type SimulatorHostConfigPatch = z.infer<typeof simulatorHostConfigPatchSchema>;

/** Body of "configure the defaults" (hosts without their own setting follow these). */
export const simulatorDefaultsPatchSchema = z
  .object({
    latencyMs: latencySchema.optional(),
    interfaces: interfacesSchema.optional(),
  })
  .strict();
export type SimulatorDefaultsPatch = z.infer<typeof simulatorDefaultsPatchSchema>;

export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  throw new SimulatorConfigError(`invalid ${what}: ${details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ')}`, details);
}

export /** A message sets an op's failure, null clears it; a null patch clears every op. */
function mergeFailures<K extends string>(current: Partial<Record<K, string>>, patch: Partial<Record<K, string | null>> | null): Partial<Record<K, string>> {
  if (patch === null) return {};
  const next: Partial<Record<K, string>> = { ...current };
  for (const op of Object.keys(patch) as K[]) {
    const message = patch[op];
    if (message === null) delete next[op];
    else if (message !== undefined) next[op] = message;
  }
  return next;
}
