/** The most lines (transactions, orders, rows) one import file may hold. */
export const MAX_LINES = 100_000;

/** A file with more lines than an import takes: the job fails at once, before any line is applied. */
export class TooManyLinesError extends Error {
  readonly code = 'payload_too_large';

  constructor(what: 'lines' | 'rows') {
    super(`a file may hold at most ${MAX_LINES.toLocaleString('en')} ${what}; split it into several imports`);
    this.name = 'TooManyLinesError';
  }
}
