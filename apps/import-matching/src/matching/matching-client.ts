import type { ClientEvent } from '@clientbook/contracts';

/** What import-matching keeps of a client, folded from the clients topic (never the clients service's data). */
export type MatchingClientState = Readonly<{
  kind: 'company' | 'person';
  name: string;
  firstName: string | null;
  lastName: string | null;
  code: string | null;
  email: string | null;
  bankAccounts: readonly { id: string; iban: string }[];
  status: 'active' | 'merged' | 'deleted';
  mergedInto: string | null;
}>;

const personName = (first: string | null, last: string | null) => [first, last].filter(Boolean).join(' ');

/** Events that change nothing matching reads: the projection passes them over, with no write. */
const NOT_MATCHING: ReadonlySet<ClientEvent['type']> = new Set([
  'AddressAdded',
  'AddressChanged',
  'AddressRemoved',
  'OperationRecorded',
] as const);

/** The general fields matching reads: a change of only others (notes, phone, roles…) is passed over. */
const MATCHED_DETAILS = ['kind', 'name', 'firstName', 'lastName', 'code', 'email'] as const;

export const concernsMatching = (event: ClientEvent): boolean =>
  event.type === 'ClientDetailsChanged'
    ? MATCHED_DETAILS.some((field) => event.data.changes[field] !== undefined)
    : !NOT_MATCHING.has(event.type);

/** evolve for the matching model: only the fields matching reads. Total over the client events. */
export function evolveMatchingClient(
  state: MatchingClientState | null,
  event: ClientEvent,
): MatchingClientState | null {
  switch (event.type) {
    case 'ClientRegistered': {
      const d = event.data;
      return {
        kind: d.kind,
        name: d.name,
        firstName: d.firstName,
        lastName: d.lastName,
        code: d.code,
        email: d.email,
        bankAccounts: d.bankAccounts.map((b) => ({ id: b.id, iban: b.iban })),
        status: 'active',
        mergedInto: null,
      };
    }
    case 'ClientDetailsChanged':
    case 'ClientsMerged': {
      if (!state) return state;
      const changes = event.data.changes;
      const next = {
        ...state,
        kind: changes.kind ?? state.kind,
        firstName: changes.firstName !== undefined ? changes.firstName : state.firstName,
        lastName: changes.lastName !== undefined ? changes.lastName : state.lastName,
        code: changes.code !== undefined ? changes.code : state.code,
        email: changes.email !== undefined ? changes.email : state.email,
        name: changes.name ?? state.name,
      };
      const withName =
        next.kind === 'person'
          ? { ...next, name: personName(next.firstName, next.lastName) || next.name }
          : next;
      if (event.type === 'ClientDetailsChanged') return withName;
      return {
        ...withName,
        bankAccounts: [
          ...state.bankAccounts,
          ...event.data.bankAccounts.map((b) => ({ id: b.id, iban: b.iban })),
        ],
      };
    }
    case 'BankAccountAdded':
    case 'BankAccountChanged': {
      if (!state) return state;
      const account = { id: event.data.bankAccount.id, iban: event.data.bankAccount.iban };
      const others = state.bankAccounts.filter((b) => b.id !== account.id);
      return { ...state, bankAccounts: [...others, account] };
    }
    case 'BankAccountRemoved':
      return (
        state && {
          ...state,
          bankAccounts: state.bankAccounts.filter((b) => b.id !== event.data.bankAccountId),
        }
      );
    case 'ClientDeleted':
      return state && { ...state, status: 'deleted' };
    case 'ClientMergedInto':
      return state && { ...state, status: 'merged', mergedInto: event.data.survivorId };
    case 'AddressAdded':
    case 'AddressChanged':
    case 'AddressRemoved':
    case 'OperationRecorded':
      return state;
    default: {
      const unknownEvent: never = event;
      throw new Error(`unknown client event ${JSON.stringify(unknownEvent)}`);
    }
  }
}
