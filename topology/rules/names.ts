/**
 * Object names appear in Terraform plans, Mermaid diagrams, review reports and host logs,
 * so they are identifiers: ASCII letters and digits with a few separators, starting and
 * ending with a letter or digit. No quotes, semicolons, control characters, bidi
 * overrides or look-alike unicode.
 */
import { hostnameRefusal } from '../dns-names';
import { violation, type Violation } from '../violation';

export const NAME_MAX = 128;
export const DESCRIPTION_MAX = 2048;
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9 ._:@()/+,-]*[A-Za-z0-9)])?$/;
export const NAME_CHARACTERS = "letters, digits, spaces and . _ : @ ( ) / + , -";
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export function validateName(name: unknown, path = 'name'): Violation[] {
  if (typeof name !== 'string' || name.length === 0) return [violation('INVALID_NAME', path, 'name is required')];
  if (name.length > NAME_MAX) return [violation('INVALID_NAME', path, `name is longer than ${NAME_MAX} characters`)];
  if (!NAME.test(name)) {
    return [violation('INVALID_NAME', path, `name ${JSON.stringify(name)} may contain only ${NAME_CHARACTERS}, and must start and end with a letter or digit`)];
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

export function validateHostname(hostname: unknown, path = 'hostname'): Violation[] {
  const why = typeof hostname === 'string' ? hostnameRefusal(hostname) : 'must be a string';
  return why === null ? [] : [violation('INVALID_HOSTNAME', path, `hostname ${JSON.stringify(hostname)} ${why}`)];
}
