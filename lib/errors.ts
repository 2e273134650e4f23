/** An error the user caused (bad flag, bad file, bad profile). The CLI exits 2 with its message and details. */
export class InputError extends Error {
  constructor(message: string, readonly details: string[] = []) {
    super(message);
    this.name = 'InputError';
  }
}
