/** What goes wrong bringing a lab up or down: said in terms of the lab. */
export class LabError extends Error {
  readonly code = 'LAB_ERROR';
  constructor(message: string) {
    super(message);
    this.name = 'LabError';
  }
}
