/**
 * Object names appear in Terraform plans, Mermaid diagrams and host logs, so they are
 * printable ASCII: no control characters, no bidi overrides or look-alike unicode.
 */
import { violation, type Violation } from '../violation';

export const NAME_MAX = 128;
export const DESCRIPTION_MAX = 2048;
const NAME = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export function validateName(name: unknown, path = 'name'): Violation[] {
  if (typeof name !== 'string' || name.length === 0) return [violation('INVALID_NAME', path, 'name is required')];
  if (name.length > NAME_MAX) return [violation('INVALID_NAME', path, `name is longer than ${NAME_MAX} characters`)];
  if (!NAME.test(name)) {
    return [violation('INVALID_NAME', path, `name ${JSON.stringify(name)} must be printable ASCII without leading or trailing spaces`)];
  }
  return [];
}

export function validateDescription(description: unknown, path = 'description'): Violation[] {
  if (description === undefined || description === null) return [];
  if (typeof description !== 'string' || description.length > DESCRIPTION_MAX || CONTROL.test(description)) {
    return [violation('INVALID_DESCRIPTION', path, `description must be text of at most ${DESCRIPTION_MAX} characters without control characters`)];
  }
  return [];
}
