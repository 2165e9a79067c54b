import type { ClientOperation, ClientRole, Residency } from '@clientbook/contracts';
import type { AddressDraft, BankAccountDraft, ClientDetailsDraft } from './client-rules';

type Patch<T> = { [K in keyof T]?: T[K] | null };

/** Commands of the Client aggregate. Ids of new addresses and accounts arrive with the command. */
export type RegisterClient = Readonly<{
  type: 'RegisterClient';
  data: {
    details: ClientDetailsDraft;
    addresses: readonly AddressDraft[];
    bankAccounts: readonly BankAccountDraft[];
    isOwnCompany: boolean;
  };
}>;
export type ChangeClientDetails = Readonly<{
  type: 'ChangeClientDetails';
  data: { patch: Patch<ClientDetailsDraft> };
}>;
export type ChangeResidencyAndRoles = Readonly<{
  type: 'ChangeResidencyAndRoles';
  data: { residency?: Residency; addRoles?: readonly ClientRole[]; removeRoles?: readonly ClientRole[] };
}>;
export type AddAddress = Readonly<{ type: 'AddAddress'; data: { address: AddressDraft } }>;
export type ChangeAddress = Readonly<{
  type: 'ChangeAddress';
  data: { addressId: string; patch: Patch<Omit<AddressDraft, 'id'>> };
}>;
export type RemoveAddress = Readonly<{ type: 'RemoveAddress'; data: { addressId: string } }>;
export type AddBankAccount = Readonly<{ type: 'AddBankAccount'; data: { bankAccount: BankAccountDraft } }>;
export type ChangeBankAccount = Readonly<{
  type: 'ChangeBankAccount';
  data: { bankAccountId: string; patch: Patch<Omit<BankAccountDraft, 'id'>> };
}>;
export type RemoveBankAccount = Readonly<{ type: 'RemoveBankAccount'; data: { bankAccountId: string } }>;
export type DeleteClient = Readonly<{ type: 'DeleteClient'; data: { reason: string | null } }>;
/** Operations (imported payments, e-shop orders, invoices) now refer to the client; idempotent by id. */
export type RecordOperations = Readonly<{
  type: 'RecordOperations';
  data: { operations: readonly ClientOperation[] };
}>;

export type ClientCommand =
  | RegisterClient
  | ChangeClientDetails
  | ChangeResidencyAndRoles
  | AddAddress
  | ChangeAddress
  | RemoveAddress
  | AddBankAccount
  | ChangeBankAccount
  | RemoveBankAccount
  | DeleteClient
  | RecordOperations;
