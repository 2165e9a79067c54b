import { createHash } from 'node:crypto';
import type { ClientOperation, ImportEvent } from '@clientbook/contracts';
import type { identityOf } from './client-identity';
import type { MatchedBy } from './decisions';
import type { MatchingIndex } from './matching-index';

// What every kind of import makes of its file: lines, each decided against the tenant's clients,
// recorded on the client it is about and reported, with the same outcomes for every kind.

export type LineOutcome = 'matched' | 'created' | 'skipped' | 'failed';

/** What a bank statement line carries besides its outcome (API.md "Imports"). */
export type BankLineDetails = {
  amount: string | null;
  currency: string | null;
  direction: 'in' | 'out';
  bookingDate: string | null;
  remittance: string | null;
};

export type ImportLine = {
  ref: string;
  name: string | null;
  clientId: string | null;
  outcome: LineOutcome;
  matchedBy: MatchedBy | null;
  candidates: string[];
  warnings: string[];
  error: { code: string; message: string } | null;
} & Partial<BankLineDetails>;

export type Totals = { lines: number; matched: number; created: number; skipped: number; failed: number };

export function totalsOf(lines: readonly ImportLine[]): Totals {
  const count = (outcome: LineOutcome) => lines.filter((l) => l.outcome === outcome).length;
  return {
    lines: lines.length,
    matched: count('matched'),
    created: count('created'),
    skipped: count('skipped'),
    failed: count('failed'),
  };
}

/** The operations an import records: a payment of a statement or an e-shop order. */
export type ImportOperation = ClientOperation & { kind: 'bank_payment' | 'eshop_order' };

/** The card a line creates, as far as the import reads it (the clients service checks the rest). */
export type ClientDraft = Parameters<typeof identityOf>[0];

/** What matching decided for a line: an existing client, a card to create, or nothing to do. */
export type LineDecision =
  | Readonly<{
      outcome: 'matched';
      clientId: string;
      matchedBy: MatchedBy;
      candidates: readonly string[];
      warnings: readonly string[];
    }>
  | Readonly<{ outcome: 'create'; draft: ClientDraft; warnings: readonly string[] }>
  | Readonly<{ outcome: 'skipped'; error: { code: string; message: string }; warnings: readonly string[] }>;

/** A line of a file, ready to be decided, recorded and reported. */
export type PlannedLine = {
  ref: string;
  /**
   * What makes it the same line as one imported before (API.md "Imports"): its claim, taken once
   * per tenant and kind. A line that fails gives its claim back, so a fixed file imports it.
   */
  claim: string;
  name: string | null;
  /** The operation the line is (payments, orders); a client file's rows are none. */
  operation: ImportOperation | null;
  /** What a bank line's result carries besides its outcome. */
  details: BankLineDetails | null;
  decide: (index: MatchingIndex) => LineDecision;
  /** The event its result makes on the imports topic (client-file rows make none). */
  event: ((result: ImportLine, line: number, importId: string) => ImportEvent) | null;
};

/** A short digest of values that tell lines apart. */
export const lineDigest = (parts: readonly unknown[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);

/** The outcome of a line that did not make its client: why, as the event says it. */
export function notImported(result: ImportLine) {
  return {
    outcome: result.outcome === 'skipped' ? ('skipped' as const) : ('failed' as const),
    error: result.error ?? { code: 'internal', message: 'the line was not imported' },
  };
}
