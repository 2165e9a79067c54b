import type { Address, BankAccount, ClientEvent, ClientKind } from '@clientbook/contracts';

/** What the invoices service knows of a client: what an invoice prints of it, and its standing. */
export type Party = Readonly<{
  kind: ClientKind;
  name: string;
  code: string | null;
  vatCode: string | null;
  addresses: readonly Address[];
  bankAccounts: readonly BankAccount[];
  isOwnCompany: boolean;
  status: 'active' | 'merged' | 'deleted';
  mergedInto: string | null;
  /** The merge that took it into `mergedInto`. */
  mergeId: string | null;
}>;

/** The general fields a party keeps: a change of only others (notes, phone, roles…) is passed over. */
const PARTY_DETAILS = ['kind', 'name', 'code', 'vatCode'] as const;

/** Whether the event can change a party: the projection passes over the others, with no read or write. */
export function concernsParty(event: ClientEvent): boolean {
  if (event.type === 'OperationRecorded') return false;
  if (event.type === 'ClientDetailsChanged')
    return PARTY_DETAILS.some((field) => event.data.changes[field] !== undefined);
  return true;
}

/** A party after one of its client's events (the clients topic). */
export function evolveParty(party: Party | null, event: ClientEvent): Party | null {
  if (event.type === 'ClientRegistered') {
    const { kind, name, code, vatCode, addresses, bankAccounts, isOwnCompany } = event.data;
    return {
      kind,
      name,
      code,
      vatCode,
      addresses,
      bankAccounts,
      isOwnCompany,
      status: 'active',
      mergedInto: null,
      mergeId: null,
    };
  }
  if (!party) return null;
  switch (event.type) {
    case 'ClientDetailsChanged': {
      const { changes } = event.data;
      return {
        ...party,
        ...(changes.kind !== undefined ? { kind: changes.kind } : {}),
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.code !== undefined ? { code: changes.code } : {}),
        ...(changes.vatCode !== undefined ? { vatCode: changes.vatCode } : {}),
      };
    }
    case 'AddressAdded':
      return {
        ...party,
        addresses: withAddress([...party.addresses, event.data.address], event.data.address),
      };
    case 'AddressChanged':
      return {
        ...party,
        addresses: withAddress(
          party.addresses.map((a) => (a.id === event.data.address.id ? event.data.address : a)),
          event.data.address,
        ),
      };
    case 'AddressRemoved':
      return { ...party, addresses: party.addresses.filter((a) => a.id !== event.data.addressId) };
    case 'BankAccountAdded':
      return { ...party, bankAccounts: [...party.bankAccounts, event.data.bankAccount] };
    case 'BankAccountChanged':
      return {
        ...party,
        bankAccounts: party.bankAccounts.map((b) =>
          b.id === event.data.bankAccount.id ? event.data.bankAccount : b,
        ),
      };
    case 'BankAccountRemoved':
      return { ...party, bankAccounts: party.bankAccounts.filter((b) => b.id !== event.data.bankAccountId) };
    case 'ClientsMerged': {
      const { changes, addresses, bankAccounts } = event.data;
      return {
        ...party,
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.code !== undefined ? { code: changes.code } : {}),
        ...(changes.vatCode !== undefined ? { vatCode: changes.vatCode } : {}),
        addresses: [...party.addresses, ...addresses],
        bankAccounts: [...party.bankAccounts, ...bankAccounts],
      };
    }
    case 'ClientMergedInto':
      return { ...party, status: 'merged', mergedInto: event.data.survivorId, mergeId: event.data.mergeId };
    case 'ClientDeleted':
      return { ...party, status: 'deleted' };
    case 'OperationRecorded':
      return party;
  }
}

/**
 * The addresses after one was added or changed: as on the card, one address at most is the
 * registration one and one the correspondence one — marking another takes the mark off the others.
 */
function withAddress(addresses: readonly Address[], changed: Address): Address[] {
  return addresses.map((a) =>
    a.id === changed.id
      ? a
      : {
          ...a,
          registration: changed.registration ? false : a.registration,
          correspondence: changed.correspondence ? false : a.correspondence,
        },
  );
}

/** An address as an invoice prints it. */
export type PrintedAddress = Readonly<{
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string | null;
  country: string;
}>;

export type PrintedBankAccount = Readonly<{ iban: string; bankName: string | null; bic: string | null }>;

/** The seller as printed: the own company at issue time, with the accounts marked for invoices. */
export type SellerSnapshot = Readonly<{
  clientId: string;
  kind: ClientKind;
  name: string;
  code: string | null;
  vatCode: string | null;
  address: PrintedAddress | null;
  bankAccounts: readonly PrintedBankAccount[];
}>;

/** The buyer as printed: the client at issue time; its correspondence address when another one. */
export type BuyerSnapshot = Readonly<{
  clientId: string;
  kind: ClientKind;
  name: string;
  code: string | null;
  vatCode: string | null;
  address: PrintedAddress | null;
  correspondenceAddress: PrintedAddress | null;
}>;

const printed = (address: Address): PrintedAddress => ({
  line1: address.line1,
  line2: address.line2,
  city: address.city,
  postalCode: address.postalCode,
  country: address.country,
});

const sameText = (a: PrintedAddress, b: PrintedAddress) => JSON.stringify(a) === JSON.stringify(b);

/** The registration address: the one marked so, else the first one. */
function registrationAddress(party: Party): Address | null {
  return party.addresses.find((a) => a.registration) ?? party.addresses[0] ?? null;
}

export function sellerSnapshot(clientId: string, party: Party): SellerSnapshot {
  const address = registrationAddress(party);
  return {
    clientId,
    kind: party.kind,
    name: party.name,
    code: party.code,
    vatCode: party.vatCode,
    address: address ? printed(address) : null,
    bankAccounts: party.bankAccounts
      .filter((account) => account.showOnInvoice)
      .map(({ iban, bankName, bic }) => ({ iban, bankName, bic })),
  };
}

export function buyerSnapshot(clientId: string, party: Party): BuyerSnapshot {
  const registration = registrationAddress(party);
  const address = registration ? printed(registration) : null;
  const correspondence = party.addresses.find((a) => a.correspondence && a.id !== registration?.id);
  const correspondenceAddress =
    correspondence && (!address || !sameText(printed(correspondence), address))
      ? printed(correspondence)
      : null;
  return {
    clientId,
    kind: party.kind,
    name: party.name,
    code: party.code,
    vatCode: party.vatCode,
    address,
    correspondenceAddress,
  };
}
