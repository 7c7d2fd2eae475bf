/** API field paths ("hostRoutes[1].nextHop") to Terraform attribute paths (['host_routes', 1, 'next_hop']). */

export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * `fieldMap` maps top-level API field names to attribute names where they differ from
 * plain snake_case; paths that name no attribute of the resource yield undefined.
 */
export function apiPathToAttributePath(apiPath: string, fieldMap: ReadonlyMap<string, string>): (string | number)[] | undefined {
  const steps: (string | number)[] = [];
  for (const part of apiPath.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) steps.push(steps.length === 0 ? (fieldMap.get(m[1]) ?? '') : snakeCase(m[1]));
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) steps.push(Number(idx[1]));
  }
  if (steps.length === 0 || steps[0] === '') return undefined;
  return steps;
}
