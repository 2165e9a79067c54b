import { createHash } from 'node:crypto';
import { normalizeIban } from '@clientbook/identifiers';
import type { ImportEvent } from '@clientbook/contracts';
import { LineDecision, matchBankLine } from '../domain/match-bank-line';
import { EshopOrder, matchEshopOrder, MatchingSettings, OrderDecision } from '../domain/match-eshop-order';
import type { MatchingIndex } from '../domain/matching-index';
import type { BankStatementLine } from '../parsing/camt053.parser';
import type { ClientFile } from '../parsing/client-file.parser';
import { cardOfRow, decideRow, RowDecision } from './client-rows';
import type { ImportOperation } from './clients-service';
import type { BankLineDetails, ImportLine } from './import-jobs';

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
  decide: (index: MatchingIndex) => LineDecision | OrderDecision | RowDecision;
  /** The event its result makes on the imports topic (client-file rows make none). */
  event: ((result: ImportLine, line: number, importId: string) => ImportEvent) | null;
};

const digest = (parts: readonly unknown[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);

/** The outcome of a line that did not make its client: why, as the event says it. */
function notImported(result: ImportLine) {
  return {
    outcome: result.outcome === 'skipped' ? ('skipped' as const) : ('failed' as const),
    error: result.error ?? { code: 'internal', message: 'the line was not imported' },
  };
}

/**
 * A statement's lines. Banks reuse a ref for different payments, so the same line is the one
 * with the same ref, amount, currency, direction, booking date and counterparty name and IBAN —
 * and the k-th such line of a file is the k-th of an earlier import.
 */
export function planBankLines(lines: readonly BankStatementLine[]): PlannedLine[] {
  const seen = new Map<string, number>();
  return lines.map((line) => {
    const party = line.counterparty;
    const same = digest([
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

/** E-shop orders: the same line is the same `orderId`. */
export function planOrders(orders: readonly EshopOrder[], settings: MatchingSettings): PlannedLine[] {
  return orders.map((order) => {
    const customer = order.customer;
    return {
      ref: order.orderId,
      claim: order.orderId,
      name: customer.company?.trim() || `${customer.firstName} ${customer.lastName}`,
      operation: { operationId: `eshop:${order.orderId}`, kind: 'eshop_order', ref: order.orderId },
      details: null,
      decide: (index: MatchingIndex) => matchEshopOrder(index, order, settings),
      event: (result, number, importId) =>
        result.clientId && (result.outcome === 'matched' || result.outcome === 'created')
          ? {
              type: 'OrderMatched',
              data: {
                importId,
                line: number,
                orderId: order.orderId,
                clientId: result.clientId,
                outcome: result.outcome,
                matchedBy: result.matchedBy,
                total: order.total ?? null,
                currency: order.currency ?? null,
                date: order.date ?? null,
              },
            }
          : {
              type: 'OrderSkipped',
              data: { importId, line: number, orderId: order.orderId, ...notImported(result) },
            },
    };
  });
}

/** A client file's rows: a row is the same row again when all its values are. */
export function planRows(file: ClientFile): PlannedLine[] {
  return file.rows.map((row) => {
    const card = cardOfRow(row);
    const name = card.name ?? ([card.firstName, card.lastName].filter(Boolean).join(' ') || null);
    const ref = `line ${row.line}: ${createHash('sha256').update(JSON.stringify(row.values)).digest('hex').slice(0, 16)}`;
    return {
      ref,
      claim: ref,
      name,
      operation: null,
      details: null,
      decide: (index: MatchingIndex) => decideRow(index, card),
      event: null,
    };
  });
}
