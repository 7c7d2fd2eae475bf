/**
 * Why a document (JSON an agent is sent) does not fit its schema, in one line: the issue
 * deepest in the document, looking into the branches of unions (zod reports a union that
 * matched no branch at the union itself, which says little: "nftables.0: Invalid input").
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

function deepest(issue: Issue, base: PropertyKey[] = []): { path: PropertyKey[]; message: string } {
  const path = [...base, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { path, message: issue.message };
  let best = { path, message: issue.message };
  for (const branch of issue.errors) {
    for (const inner of branch) {
      const found = deepest(inner, path);
      if (found.path.length > best.path.length) best = found;
    }
  }
  return best;
}

/** null when `text` is JSON that `schema` accepts, else `<what>: <path>: <message>`. */
export function documentRefusal(schema: z.ZodType, text: string, maxLength: number, what: string): string | null {
  if (text.length > maxLength) return `${what}s are at most ${maxLength} characters`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const result = schema.safeParse(parsed);
  if (result.success) return null;
  const issue = deepest(result.error.issues[0]);
  return `not a ${what}: ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
}
