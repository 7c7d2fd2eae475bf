/** An error with a stable, machine-readable code, named after its class (for logs and `instanceof`-free checks). */
export class CodedError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
