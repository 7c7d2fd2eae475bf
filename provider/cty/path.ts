/** A step into a cty value; the same three shapes as tfplugin6 `AttributePath.Step`. */
export type PathStep =
  | { readonly attribute: string }
  | { readonly key: string }
  | { readonly index: number };

export type CtyPath = readonly PathStep[];

export function formatPath(path: CtyPath): string {
  let out = '';
  for (const step of path) {
    if ('attribute' in step) out += out === '' ? step.attribute : `.${step.attribute}`;
    else if ('key' in step) out += `[${JSON.stringify(step.key)}]`;
    else out += `[${step.index}]`;
  }
  return out === '' ? '(root)' : out;
}

/** An encoding or decoding failure at a position inside a value. */
export class CtyPathError extends Error {
  override name = 'CtyPathError';
  constructor(
    message: string,
    readonly path: CtyPath,
  ) {
    super(path.length > 0 ? `${formatPath(path)}: ${message}` : message);
  }
}
