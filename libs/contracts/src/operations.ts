/** The kinds of operation (a document that refers to a client) services record on clients. */
export const OPERATION_KINDS = ['bank_payment', 'eshop_order', 'invoice'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/** An operation as recorded on a client; recording the same `operationId` again changes nothing. */
export type ClientOperation = Readonly<{ operationId: string; kind: OperationKind; ref: string }>;
