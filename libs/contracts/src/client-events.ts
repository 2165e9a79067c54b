import type { ClientOperation } from './operations';

export const CLIENT_AGGREGATE = 'Client';

export type ClientKind = 'company' | 'person';
export type ClientRole = 'buyer' | 'supplier' | 'bank' | 'government' | 'employee';
export type Residency = 'resident' | 'eu' | 'foreign';

export const CLIENT_ROLES: readonly ClientRole[] = ['buyer', 'supplier', 'bank', 'government', 'employee'];
export const RESIDENCIES: readonly Residency[] = ['resident', 'eu', 'foreign'];
export const CLIENT_KINDS: readonly ClientKind[] = ['company', 'person'];

export type Address = Readonly<{
  id: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string | null;
  country: string;
  branchName: string | null;
  registration: boolean;
  correspondence: boolean;
}>;

export type BankAccount = Readonly<{
  id: string;
  iban: string;
  bankName: string | null;
  bic: string | null;
  currency: string;
  main: boolean;
  showOnInvoice: boolean;
}>;

/** The general fields of a client card: what PATCH changes (not addresses or bank accounts). */
export type ClientDetails = Readonly<{
  kind: ClientKind;
  name: string;
  firstName: string | null;
  lastName: string | null;
  code: string | null;
  vatCode: string | null;
  roles: readonly ClientRole[];
  residency: Residency;
  email: string | null;
  phone: string | null;
  website: string | null;
  notes: string | null;
}>;

export type ClientRegistered = Readonly<{
  type: 'ClientRegistered';
  data: ClientDetails & {
    addresses: readonly Address[];
    bankAccounts: readonly BankAccount[];
    isOwnCompany: boolean;
  };
}>;
export type ClientDetailsChanged = Readonly<{
  type: 'ClientDetailsChanged';
  data: { changes: Partial<ClientDetails> };
}>;
export type AddressAdded = Readonly<{ type: 'AddressAdded'; data: { address: Address } }>;
export type AddressChanged = Readonly<{ type: 'AddressChanged'; data: { address: Address } }>;
export type AddressRemoved = Readonly<{ type: 'AddressRemoved'; data: { addressId: string } }>;
export type BankAccountAdded = Readonly<{ type: 'BankAccountAdded'; data: { bankAccount: BankAccount } }>;
export type BankAccountChanged = Readonly<{ type: 'BankAccountChanged'; data: { bankAccount: BankAccount } }>;
export type BankAccountRemoved = Readonly<{ type: 'BankAccountRemoved'; data: { bankAccountId: string } }>;
export type ClientDeleted = Readonly<{ type: 'ClientDeleted'; data: { reason: string | null } }>;
/** On each merged client: it now lives on in the survivor. Irreversible. */
export type ClientMergedInto = Readonly<{
  type: 'ClientMergedInto';
  data: { mergeId: string; survivorId: string };
}>;
/** On the survivor: what it took over from the clients merged into it. */
export type ClientsMerged = Readonly<{
  type: 'ClientsMerged';
  data: {
    mergeId: string;
    mergedIds: readonly string[];
    /** Fields that were empty on the survivor, filled from the merged clients in the order given. */
    changes: Partial<ClientDetails>;
    addresses: readonly Address[];
    bankAccounts: readonly BankAccount[];
    /** Operations (payments, orders, invoices) of the merged clients that now belong to the survivor. */
    operations: number;
  };
}>;
/** Something the books hold refers to the client (an imported payment, an e-shop order, an invoice). */
export type OperationRecorded = Readonly<{
  type: 'OperationRecorded';
  data: ClientOperation;
}>;

/** Every event of the Client aggregate. */
export type ClientEvent =
  | ClientRegistered
  | ClientDetailsChanged
  | AddressAdded
  | AddressChanged
  | AddressRemoved
  | BankAccountAdded
  | BankAccountChanged
  | BankAccountRemoved
  | ClientDeleted
  | OperationRecorded
  | ClientMergedInto
  | ClientsMerged;

export type ClientEventType = ClientEvent['type'];
