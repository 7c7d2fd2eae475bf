/** What goes wrong bringing a lab up or down: said in terms of the lab. */
import { CodedError } from '../../lib/coded-error';

export class LabError extends CodedError<'LAB_ERROR'> {
  constructor(message: string) {
    super('LAB_ERROR', message);
  }
}
