import { z } from 'zod';
import { CLIENT_KINDS, CLIENT_ROLES, ClientEvent, ClientEventType, RESIDENCIES } from './client-events';
import { OPERATION_KINDS } from './operations';
import type { AllTrue, Assert } from './type-checks';

// The schemas of the Client aggregate's events, version 1 of each. Consumers parse what they read
// with them (event-registry.ts); the AsyncAPI document is generated from them.

const text = z.string();
const optionalText = z.string().nullable();

export const AddressSchema = z.object({
  id: text,
  line1: text,
  line2: optionalText,
  city: text,
  postalCode: optionalText,
  country: z.string().length(2),
  branchName: optionalText,
  registration: z.boolean(),
  correspondence: z.boolean(),
});

export const BankAccountSchema = z.object({
  id: text,
  iban: text,
  bankName: optionalText,
  bic: optionalText,
  currency: text,
  main: z.boolean(),
  showOnInvoice: z.boolean(),
});

export const ClientDetailsSchema = z.object({
  kind: z.enum(CLIENT_KINDS),
  name: text,
  firstName: optionalText,
  lastName: optionalText,
  code: optionalText,
  vatCode: optionalText,
  roles: z.array(z.enum(CLIENT_ROLES)),
  residency: z.enum(RESIDENCIES),
  email: optionalText,
  phone: optionalText,
  website: optionalText,
  notes: optionalText,
});

export const ClientOperationSchema = z.object({
  operationId: text,
  kind: z.enum(OPERATION_KINDS),
  ref: text,
});

/** The `data` of each Client event, as its current schema version says. */
export const CLIENT_EVENT_DATA = {
  ClientRegistered: ClientDetailsSchema.extend({
    addresses: z.array(AddressSchema),
    bankAccounts: z.array(BankAccountSchema),
    isOwnCompany: z.boolean(),
  }),
  ClientDetailsChanged: z.object({ changes: ClientDetailsSchema.partial() }),
  AddressAdded: z.object({ address: AddressSchema }),
  AddressChanged: z.object({ address: AddressSchema }),
  AddressRemoved: z.object({ addressId: text }),
  BankAccountAdded: z.object({ bankAccount: BankAccountSchema }),
  BankAccountChanged: z.object({ bankAccount: BankAccountSchema }),
  BankAccountRemoved: z.object({ bankAccountId: text }),
  ClientDeleted: z.object({ reason: optionalText }),
  OperationRecorded: ClientOperationSchema,
  ClientMergedInto: z.object({ mergeId: text, survivorId: text }),
  ClientsMerged: z.object({
    mergeId: text,
    mergedIds: z.array(text),
    changes: ClientDetailsSchema.partial(),
    addresses: z.array(AddressSchema),
    bankAccounts: z.array(BankAccountSchema),
    operations: z.number().int().nonnegative(),
  }),
} as const satisfies Record<ClientEventType, z.ZodType>;

// What a schema parses must be what the type says: a schema that drifts from its event type does
// not compile.
type DataOf<T extends ClientEventType> = Extract<ClientEvent, { type: T }>['data'];
type Matches = {
  [K in ClientEventType]: z.output<(typeof CLIENT_EVENT_DATA)[K]> extends DataOf<K> ? true : false;
};
export type ClientSchemasMatchTypes = Assert<AllTrue<Matches>>;
