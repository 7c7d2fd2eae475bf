/**
 * The catalog's fields (contract/fields.ts) as framework schema attributes, and the codec
 * that reads the framework's values for the contract's Terraform/API mapping.
 */
import type { Field } from '../../contract';
import type { ValueCodec } from '../../contract';
import { attr, block, CtyNumber, isUnknown, types, type AttributeSpec, type BlockSpec } from '../framework';

/** Framework values: unknown markers and CtyNumbers. */
export const CTY_CODEC: ValueCodec = {
  isUnknown,
  toNumber: (value) => (value instanceof CtyNumber ? value.toNumber() : Number(value)),
};

export function attributeFor(f: Field): AttributeSpec {
  const options = {
    description: f.description,
    required: f.mode === 'required' || undefined,
    optional: f.mode === 'optional' || f.mode === 'optionalComputed' || undefined,
    computed: f.mode === 'computed' || f.mode === 'optionalComputed' || undefined,
    requiresReplace: f.replace || undefined,
    sensitive: f.sensitive || undefined,
    default: typeof f.default === 'string' ? f.default : f.default ? [...f.default] : undefined,
  };
  switch (f.kind) {
    case 'string':
      return attr.string(options);
    case 'int':
      return attr.number(options);
    case 'stringList':
      return attr.list(types.string, options);
    case 'stringSet':
      return attr.set(types.string, options);
    case 'hostRoutes':
      throw new Error(`${f.tf} is a block: use hostRoutesBlock`);
  }
}

/** `host_routes { prefix = ..., next_hop = ... }`: a list block, empty (never null) when absent. */
export function hostRoutesBlock(f: Field): BlockSpec {
  return block.list({
    description: f.description,
    attributes: {
      prefix: attr.string({ required: true, description: 'Destination CIDR' }),
      next_hop: attr.string({ required: true, description: 'Next hop IP, in the L3 network' }),
    },
  });
}
