import { z } from 'zod';

/** The aggregate an import job's events belong to: one stream per job (`aggregateId` = import id). */
export const IMPORT_AGGREGATE = 'Import';

export const IMPORT_KINDS = ['bank-statement', 'eshop-orders', 'clients'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const MATCHED_BY = ['code', 'iban', 'name', 'name_email'] as const;

const lineError = z.object({ code: z.string(), message: z.string() });
const totals = z.object({
  lines: z.number().int().nonnegative(),
  matched: z.number().int().nonnegative(),
  created: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});

/** The `data` of each Import event, as its current schema version says. */
export const IMPORT_EVENT_DATA = {
  /** A bank statement line that found (or made) its client: what accounting needs to post the payment. */
  StatementLineMatched: z.object({
    importId: z.string(),
    /** The line's position in the statement, 1-based (also its event's aggregate version). */
    line: z.number().int().positive(),
    ref: z.string(),
    clientId: z.string(),
    outcome: z.enum(['matched', 'created']),
    matchedBy: z.enum(MATCHED_BY).nullable(),
    /** Two decimals, as the statement says it. */
    amount: z.string().nullable(),
    currency: z.string().nullable(),
    direction: z.enum(['in', 'out']),
    bookingDate: z.string().nullable(),
    remittance: z.string().nullable(),
  }),
  /** A bank statement line that was not imported: skipped (already imported, no counterparty) or failed. */
  StatementLineSkipped: z.object({
    importId: z.string(),
    line: z.number().int().positive(),
    ref: z.string(),
    outcome: z.enum(['skipped', 'failed']),
    error: lineError,
  }),
  /** An e-shop order that found (or made) its client. */
  OrderMatched: z.object({
    importId: z.string(),
    line: z.number().int().positive(),
    orderId: z.string(),
    clientId: z.string(),
    outcome: z.enum(['matched', 'created']),
    matchedBy: z.enum(MATCHED_BY).nullable(),
    total: z.number().nullable(),
    currency: z.string().nullable(),
    date: z.string().nullable(),
  }),
  /** An e-shop order that was not imported. */
  OrderSkipped: z.object({
    importId: z.string(),
    line: z.number().int().positive(),
    orderId: z.string(),
    outcome: z.enum(['skipped', 'failed']),
    error: lineError,
  }),
  /** A job is over: every line was processed (`completed`), or its file could not be read (`failed`). */
  ImportCompleted: z.object({
    importId: z.string(),
    kind: z.enum(IMPORT_KINDS),
    status: z.enum(['completed', 'failed']),
    totals,
    error: lineError.nullable(),
  }),
} as const;

export type ImportEventType = keyof typeof IMPORT_EVENT_DATA;

/** Every event of an import job, derived from its schema. */
export type ImportEvent = {
  [K in ImportEventType]: Readonly<{ type: K; data: z.output<(typeof IMPORT_EVENT_DATA)[K]> }>;
}[ImportEventType];

export type StatementLineMatched = Extract<ImportEvent, { type: 'StatementLineMatched' }>;
