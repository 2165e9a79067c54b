/** A file that cannot be read as what it claims to be; the message names the place. */
export class UnparseableFileError extends Error {
  readonly code = 'unparseable_file';

  constructor(message: string) {
    super(message);
    this.name = 'UnparseableFileError';
  }
}
