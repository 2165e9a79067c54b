import type { Address, BankAccount, ClientEvent } from '@clientbook/contracts';
import { buyerSnapshot, concernsParty, evolveParty, type Party, sellerSnapshot } from './party';

const address = (overrides: Partial<Address>): Address => ({
  id: 'a1',
  line1: 'Gedimino pr. 1',
  line2: null,
  city: 'Vilnius',
  postalCode: 'LT-01103',
  country: 'LT',
  branchName: null,
  registration: false,
  correspondence: false,
  ...overrides,
});
const account = (overrides: Partial<BankAccount>): BankAccount => ({
  id: 'b1',
  iban: 'LT121000011101001000',
  bankName: 'Swedbank',
  bic: 'HABALT22',
  currency: 'EUR',
  main: true,
  showOnInvoice: true,
  ...overrides,
});

const registered = (
  data: Partial<Extract<ClientEvent, { type: 'ClientRegistered' }>['data']>,
): ClientEvent => ({
  type: 'ClientRegistered',
  data: {
    kind: 'company',
    name: 'UAB Žalias Ąžuolas',
    firstName: null,
    lastName: null,
    code: '304567891',
    vatCode: 'LT100012345611',
    roles: ['buyer'],
    residency: 'resident',
    email: null,
    phone: null,
    website: null,
    notes: null,
    addresses: [],
    bankAccounts: [],
    isOwnCompany: false,
    ...data,
  },
});

const fold = (events: ClientEvent[]): Party => {
  const party = events.reduce<Party | null>(evolveParty, null);
  if (!party) throw new Error('no party');
  return party;
};

describe('what an invoice prints of a client', () => {
  it('prints the registration address, and the correspondence address only when it is another one', () => {
    const party = fold([
      registered({
        addresses: [
          address({ id: 'c', line1: 'Pašto g. 5', city: 'Kaunas', correspondence: true }),
          address({ id: 'r', registration: true }),
        ],
      }),
    ]);
    const buyer = buyerSnapshot('client-1', party);
    expect(buyer.address).toMatchObject({ line1: 'Gedimino pr. 1', city: 'Vilnius' });
    expect(buyer.correspondenceAddress).toMatchObject({ line1: 'Pašto g. 5', city: 'Kaunas' });

    const same = fold([registered({ addresses: [address({ registration: true, correspondence: true })] })]);
    expect(buyerSnapshot('client-1', same).correspondenceAddress).toBeNull();
  });

  it('follows the card when another address becomes the registration one (one at a time, as on the card)', () => {
    const party = fold([
      registered({
        addresses: [address({ id: 'old', line1: 'Senoji g. 1', registration: true, correspondence: true })],
      }),
      {
        type: 'AddressAdded',
        data: { address: address({ id: 'new', line1: 'Naujoji g. 2', registration: true }) },
      },
    ]);
    const buyer = buyerSnapshot('client-1', party);
    expect(buyer.address).toMatchObject({ line1: 'Naujoji g. 2' });
    expect(buyer.correspondenceAddress).toMatchObject({ line1: 'Senoji g. 1' });
    const moved = fold([
      registered({
        addresses: [
          address({ id: 'a', line1: 'A g. 1', registration: true }),
          address({ id: 'b', line1: 'B g. 2' }),
        ],
      }),
      {
        type: 'AddressChanged',
        data: { address: address({ id: 'b', line1: 'B g. 2', registration: true }) },
      },
    ]);
    expect(buyerSnapshot('c', moved).address).toMatchObject({ line1: 'B g. 2' });
  });

  it('prints only the seller’s bank accounts marked to show on invoices', () => {
    const party = fold([
      registered({
        isOwnCompany: true,
        bankAccounts: [
          account({ id: 'shown' }),
          account({ id: 'hidden', iban: 'LT601010012345678901', showOnInvoice: false }),
        ],
      }),
    ]);
    expect(sellerSnapshot('own', party).bankAccounts).toEqual([
      { iban: 'LT121000011101001000', bankName: 'Swedbank', bic: 'HABALT22' },
    ]);
  });

  it('follows the card: details, addresses and accounts changed, then merged', () => {
    const party = fold([
      registered({ addresses: [address({ registration: true })] }),
      { type: 'ClientDetailsChanged', data: { changes: { name: 'UAB Naujas Vardas', vatCode: null } } },
      { type: 'AddressChanged', data: { address: address({ registration: true, city: 'Šiauliai' }) } },
      { type: 'BankAccountAdded', data: { bankAccount: account({}) } },
      { type: 'ClientMergedInto', data: { mergeId: 'm', survivorId: 'survivor' } },
    ]);
    expect(party).toMatchObject({
      name: 'UAB Naujas Vardas',
      vatCode: null,
      addresses: [expect.objectContaining({ city: 'Šiauliai' })],
      bankAccounts: [expect.objectContaining({ iban: 'LT121000011101001000' })],
      status: 'merged',
      mergedInto: 'survivor',
    });
  });

  it('knows nothing of a client whose registration it has not seen', () => {
    expect(evolveParty(null, { type: 'ClientDeleted', data: { reason: null } })).toBeNull();
  });

  it('passes over the events that change nothing an invoice prints, and only those', () => {
    const party = fold([registered({})]);
    const passedOver: ClientEvent[] = [
      { type: 'OperationRecorded', data: { operationId: 'bank:R1', kind: 'bank_payment', ref: 'R1' } },
      { type: 'ClientDetailsChanged', data: { changes: { notes: 'called back', roles: ['supplier'] } } },
    ] as ClientEvent[];
    for (const event of passedOver) {
      expect(concernsParty(event)).toBe(false);
      expect(evolveParty(party, event)).toEqual(party);
    }
    for (const changes of [{ name: 'UAB Beta' }, { vatCode: null }, { code: '300000001', phone: '+370' }]) {
      const event = { type: 'ClientDetailsChanged', data: { changes } } as ClientEvent;
      expect(concernsParty(event)).toBe(true);
      expect(evolveParty(party, event)).not.toEqual(party);
    }
  });
});
