/**
 * Mermaid labels built from user data (names, descriptions): every label is quoted, and the
 * characters Mermaid's parser or the HTML it renders would act on become entity codes.
 * Node ids are never user data: callers generate them.
 */

/** Text safe inside a quoted Mermaid label: entity codes for quotes, angle brackets, # and the like. */
export function escapeLabel(text: string): string {
  return text.replace(/[#"<>&`\\|{}[\]]/g, (c) => `#${c.charCodeAt(0)};`).replace(/[\r\n]+/g, ' ');
}

/** A quoted label of several lines (empty ones dropped). */
export function label(lines: readonly string[]): string {
  return `"${lines.filter(Boolean).map(escapeLabel).join('<br/>')}"`;
}
