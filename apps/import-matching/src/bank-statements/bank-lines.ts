import { normalizeIban } from '@clientbook/identifiers';
import type { BankLineDetails, PlannedLine } from '../matching/import-line';
import { lineDigest, notImported } from '../matching/import-line';
import type { MatchingIndex } from '../matching/matching-index';
import type { BankStatementLine } from './camt053.parser';
import { matchBankLine } from './match-bank-line';

/**
 * A statement's lines. Banks reuse a ref for different payments, so the same line is the one
 * with the same ref, amount, currency, direction, booking date and counterparty name and IBAN —
 * and the k-th such line of a file is the k-th of an earlier import.
 */
export function planBankLines(lines: readonly BankStatementLine[]): PlannedLine[] {
  const seen = new Map<string, number>();
  return lines.map((line) => {
    const party = line.counterparty;
    const same = lineDigest([
      line.ref,
      line.amount,
      line.currency,
      line.direction,
      line.bookingDate,
      party?.name ?? null,
      party?.iban ? normalizeIban(party.iban) : null,
    ]);
    const occurrence = (seen.get(same) ?? 0) + 1;
    seen.set(same, occurrence);
    const claim = `${same}#${occurrence}`;
    const details: BankLineDetails = {
      amount: line.amount,
      currency: line.currency,
      direction: line.direction,
      bookingDate: line.bookingDate,
      remittance: line.remittance,
    };
    return {
      ref: line.ref,
      claim,
      name: party?.name ?? null,
      operation: { operationId: `bank:${claim}`, kind: 'bank_payment', ref: line.ref },
      details,
      decide: (index: MatchingIndex) => matchBankLine(index, line),
      event: (result, number, importId) =>
        result.clientId && (result.outcome === 'matched' || result.outcome === 'created')
          ? {
              type: 'StatementLineMatched',
              data: {
                importId,
                line: number,
                ref: line.ref,
                clientId: result.clientId,
                outcome: result.outcome,
                matchedBy: result.matchedBy,
                ...details,
              },
            }
          : {
              type: 'StatementLineSkipped',
              data: { importId, line: number, ref: line.ref, ...notImported(result) },
            },
    };
  });
}
