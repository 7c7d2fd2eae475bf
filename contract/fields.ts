/**
 * How one API field of an object appears in Terraform: its attribute name and type, whether
 * it is required, optional or computed, whether a change replaces the object or updates it
 * in place, and which object type it names by uuid. The provider builds its schemas from
 * these, review maps plans with them, and the constructs' bindings are generated from them.
 */
import type { ObjectType } from './object-types';

export type FieldKind = 'string' | 'int' | 'stringList' | 'stringSet' | 'hostRoutes';
export type FieldMode = 'required' | 'optional' | 'computed' | 'optionalComputed';

export interface Field {
  /** Terraform attribute name (snake_case). */
  readonly tf: string;
  /** API field name (camelCase). */
  readonly api: string;
  readonly kind: FieldKind;
  readonly mode: FieldMode;
  readonly description: string;
  /** A change destroys and re-creates the object. */
  readonly replace?: boolean;
  /** Sent in PATCH on update (fields that neither replace nor update are computed). */
  readonly updatable?: boolean;
  /** Planned when the configuration leaves it null (optionalComputed only). */
  readonly default?: string | readonly string[];
  /** Kept out of plan output. */
  readonly sensitive?: boolean;
  /** The object type whose uuid(s) this field holds: a link between objects. */
  readonly ref?: ObjectType;
  /**
   * What plan review calls the link when an object has a second link to the same kind (a
   * router's public network besides its guest L3); otherwise the link is named by the kind.
   */
  readonly linkAs?: SecondaryLink;
}

/** Names of links beyond one per kind. */
export const SECONDARY_LINKS = ['publicL3', 'remoteGroup'] as const;
export type SecondaryLink = (typeof SECONDARY_LINKS)[number];

/**
 * A field as a data source reads it: the same names and kind, read-only (nothing to
 * replace, update or default), with its own mode and, where given, description.
 */
export function asField(f: Field, change: Partial<Pick<Field, 'description' | 'mode'>> = {}): Field {
  return { tf: f.tf, api: f.api, kind: f.kind, mode: change.mode ?? f.mode, description: change.description ?? f.description, ...(f.ref ? { ref: f.ref } : {}) };
}
