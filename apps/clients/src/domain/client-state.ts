import type { Address, BankAccount, ClientDetails, ClientEvent } from '@clientbook/contracts';

export type ClientStatus = 'active' | 'merged' | 'deleted';

export type Client = ClientDetails &
  Readonly<{
    addresses: readonly Address[];
    bankAccounts: readonly BankAccount[];
    isOwnCompany: boolean;
    status: ClientStatus;
    mergedInto: string | null;
    hasOperations: boolean;
    /** How many operations refer to the client (its own and those merged into it). */
    operations?: number;
    /**
     * Ids of the newest operations recorded on this client (at most RECENT_OPERATION_IDS), so
     * recording one again changes nothing. A repeat is a retry and comes soon after the original;
     * keeping every id would grow the card with each payment for the life of the client.
     */
    operationIds?: readonly string[];
    /** Merges this client survived, by merge id. */
    merges?: readonly string[];
  }>;

/** The aggregate's state: nothing yet, or a client. */
export type ClientState = Client | null;

export const RECENT_OPERATION_IDS = 1000;

export const initialState = (): ClientState => null;

/** A person's name is derived from its parts; a company's is its own. */
export function displayName(
  details: Pick<ClientDetails, 'kind' | 'name' | 'firstName' | 'lastName'>,
): string {
  return details.kind === 'person'
    ? [details.firstName, details.lastName].filter(Boolean).join(' ')
    : details.name;
}

// Radio-button flags: setting one on an item clears it on the others.
function withExclusiveFlags<T extends { id: string }>(
  items: readonly T[],
  chosen: T,
  flags: readonly (keyof T)[],
): T[] {
  return items.map((item) => {
    if (item.id === chosen.id) return chosen;
    const cleared = { ...item };
    for (const flag of flags) if (chosen[flag] === true) (cleared[flag] as unknown) = false;
    return cleared;
  });
}

function upsert<T extends { id: string }>(items: readonly T[], item: T): T[] {
  return items.some((i) => i.id === item.id)
    ? items.map((i) => (i.id === item.id ? item : i))
    : [...items, item];
}

const ADDRESS_FLAGS = ['registration', 'correspondence'] as const;
const ACCOUNT_FLAGS = ['main'] as const;

/** evolve: state + event → state. Total over the event union (the `never` check guards new events). */
export function evolve(state: ClientState, event: ClientEvent): ClientState {
  switch (event.type) {
    case 'ClientRegistered': {
      const { isOwnCompany, addresses, bankAccounts, ...details } = event.data;
      return {
        ...details,
        addresses,
        bankAccounts,
        isOwnCompany,
        status: 'active',
        mergedInto: null,
        hasOperations: false,
      };
    }
    case 'ClientDetailsChanged': {
      if (!state) return state;
      const next = { ...state, ...event.data.changes };
      return { ...next, name: displayName(next) };
    }
    case 'AddressAdded':
    case 'AddressChanged':
      if (!state) return state;
      return {
        ...state,
        addresses: withExclusiveFlags(
          upsert(state.addresses, event.data.address),
          event.data.address,
          ADDRESS_FLAGS,
        ),
      };
    case 'AddressRemoved':
      if (!state) return state;
      return { ...state, addresses: state.addresses.filter((a) => a.id !== event.data.addressId) };
    case 'BankAccountAdded':
    case 'BankAccountChanged':
      if (!state) return state;
      return {
        ...state,
        bankAccounts: withExclusiveFlags(
          upsert(state.bankAccounts, event.data.bankAccount),
          event.data.bankAccount,
          ACCOUNT_FLAGS,
        ),
      };
    case 'BankAccountRemoved':
      if (!state) return state;
      return { ...state, bankAccounts: state.bankAccounts.filter((b) => b.id !== event.data.bankAccountId) };
    case 'ClientDeleted':
      if (!state) return state;
      return { ...state, status: 'deleted' };
    case 'OperationRecorded':
      if (!state) return state;
      return {
        ...state,
        hasOperations: true,
        operations: (state.operations ?? 0) + 1,
        operationIds: [...(state.operationIds ?? []), event.data.operationId].slice(-RECENT_OPERATION_IDS),
      };
    case 'ClientMergedInto':
      if (!state) return state;
      return { ...state, status: 'merged', mergedInto: event.data.survivorId };
    case 'ClientsMerged': {
      if (!state) return state;
      const operations = (state.operations ?? 0) + event.data.operations;
      return {
        ...state,
        ...event.data.changes,
        addresses: [...state.addresses, ...event.data.addresses],
        bankAccounts: [...state.bankAccounts, ...event.data.bankAccounts],
        operations,
        hasOperations: state.hasOperations || operations > 0,
        merges: [...(state.merges ?? []), event.data.mergeId],
      };
    }
    default: {
      const unknownEvent: never = event;
      throw new Error(`unknown client event ${JSON.stringify(unknownEvent)}`);
    }
  }
}
