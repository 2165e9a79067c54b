import { z } from 'zod';

/** An invoice issued to a client: one stream per invoice (its id derives from series and number). */
export const INVOICE_AGGREGATE = 'Invoice';

const money = z.string().regex(/^\d{1,9}\.\d{2}$/);
const decimal = z.string().regex(/^\d{1,12}(\.\d{1,12})?$/);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const PrintedAddressSchema = z.object({
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  postalCode: z.string().nullable(),
  country: z.string(),
});

/** An invoice as recorded: everything it prints, its buyer and seller as they were at issue time. */
export const IssuedInvoiceSchema = z.object({
  series: z.string().max(20),
  number: z.string().max(30),
  issueDate: day,
  supplyDate: day.nullable(),
  dueDate: day.nullable(),
  clientId: z.string(),
  currency: z.literal('EUR'),
  lines: z
    .array(
      z.object({
        description: z.string().max(1_000),
        quantity: decimal,
        unit: z.string().max(20),
        unitPrice: decimal,
        discountPercent: decimal,
        vatRate: z.number().int().min(0).max(100),
        net: money,
      }),
    )
    .min(1)
    .max(500),
  vatBreakdown: z.array(z.object({ rate: z.number().int().min(0).max(100), net: money, vat: money })),
  totals: z.object({ net: money, vat: money, gross: money }),
  amountInWords: z.string().max(500),
  vatExemptionNote: z.string().max(500).nullable(),
  notes: z.string().max(2_000).nullable(),
  seller: z.object({
    clientId: z.string(),
    kind: z.enum(['company', 'person']),
    name: z.string(),
    code: z.string().nullable(),
    vatCode: z.string().nullable(),
    address: PrintedAddressSchema.nullable(),
    bankAccounts: z.array(
      z.object({ iban: z.string(), bankName: z.string().nullable(), bic: z.string().nullable() }),
    ),
  }),
  buyer: z.object({
    clientId: z.string(),
    /** A person's `code` is a personal code (printed as such), a company's a company code. */
    kind: z.enum(['company', 'person']),
    name: z.string(),
    code: z.string().nullable(),
    vatCode: z.string().nullable(),
    address: PrintedAddressSchema.nullable(),
    correspondenceAddress: PrintedAddressSchema.nullable(),
  }),
});

/** The `data` of each invoice event, as its current schema version says. */
export const INVOICE_EVENT_DATA = {
  InvoiceRecorded: IssuedInvoiceSchema,
  InvoiceCancelled: z.object({ reason: z.string().max(1_000) }),
  InvoiceReassigned: z.object({ fromClientId: z.string(), toClientId: z.string(), mergeId: z.string() }),
} as const;

export type IssuedInvoice = z.output<typeof IssuedInvoiceSchema>;
export type InvoiceEventType = keyof typeof INVOICE_EVENT_DATA;
export type InvoiceEvent = {
  [K in InvoiceEventType]: Readonly<{ type: K; data: z.output<(typeof INVOICE_EVENT_DATA)[K]> }>;
}[InvoiceEventType];
