/**
 * Diagnostics: the only way errors leave the provider. Terraform prints them, and when a
 * diagnostic names an attribute path it points at that attribute's line in the configuration.
 * Exceptions thrown by resource code are caught and turned into diagnostics; they never
 * crash the plugin process.
 */
import { CtyPath, CtyPathError, CtyType, PathStep } from '../cty';

export type Severity = 'error' | 'warning';

/**
 * An attribute path as resource code writes it: `['host_routes', 0, 'prefix']`,
 * `['tags', 'env']`. Strings become attribute names or map keys depending on the schema.
 * A CtyPath (explicit steps) is accepted too.
 */
export type AttributePathInput = readonly (string | number)[] | CtyPath;

export interface Diagnostic {
  readonly severity: Severity;
  readonly summary: string;
  readonly detail?: string;
  readonly path?: AttributePathInput;
}

export class Diagnostics {
  readonly items: Diagnostic[] = [];

  error(summary: string, detail?: string, path?: AttributePathInput): void {
    this.items.push({ severity: 'error', summary, detail, path });
  }

  warning(summary: string, detail?: string, path?: AttributePathInput): void {
    this.items.push({ severity: 'warning', summary, detail, path });
  }

  /** Error pinned to an attribute, the common case for validation. */
  attributeError(path: AttributePathInput, summary: string, detail?: string): void {
    this.error(summary, detail, path);
  }

  add(...diagnostics: Diagnostic[]): void {
    this.items.push(...diagnostics);
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

/**
 * Throw from resource code to fail an operation with a precise diagnostic:
 * `throw new ProviderError('Zone not found', { detail, path: ['zone_id'] })`.
 */
export class ProviderError extends Error {
  override name = 'ProviderError';
  readonly detail?: string;
  readonly path?: AttributePathInput;

  constructor(summary: string, options: { detail?: string; path?: AttributePathInput; cause?: unknown } = {}) {
    super(summary, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.detail = options.detail;
    this.path = options.path;
  }
}

/** Turns anything thrown into a diagnostic; unexpected errors keep their message as detail. */
export function diagnosticFromError(err: unknown, summary: string): Diagnostic {
  if (err instanceof ProviderError) return { severity: 'error', summary: err.message, detail: err.detail, path: err.path };
  if (err instanceof CtyPathError) return { severity: 'error', summary, detail: err.message, path: err.path };
  const message = err instanceof Error ? err.message : String(err);
  return { severity: 'error', summary, detail: message };
}

function isStep(step: unknown): step is PathStep {
  return typeof step === 'object' && step !== null;
}

/**
 * Resolves a path against the value's type: strings under objects are attribute names,
 * under maps element keys; numbers index lists and tuples. Paths cannot enter sets (set
 * elements have no stable index), so the path stops at the set.
 */
export function resolvePath(path: AttributePathInput, type: CtyType | undefined): PathStep[] {
  const steps: PathStep[] = [];
  let current: CtyType | undefined = type;
  for (const raw of path) {
    if (isStep(raw)) {
      steps.push(raw);
      current = descend(current, raw);
      continue;
    }
    if (current?.kind === 'set') break;
    let step: PathStep;
    if (typeof raw === 'number') step = { index: raw };
    else if (current?.kind === 'map') step = { key: raw };
    else step = { attribute: raw };
    steps.push(step);
    current = descend(current, step);
  }
  return steps;
}

function descend(type: CtyType | undefined, step: PathStep): CtyType | undefined {
  if (!type) return undefined;
  if ('attribute' in step) return type.kind === 'object' ? type.attributes[step.attribute] : undefined;
  if ('key' in step) return type.kind === 'map' ? type.element : undefined;
  if (type.kind === 'list') return type.element;
  if (type.kind === 'tuple') return type.elements[step.index];
  return undefined;
}
