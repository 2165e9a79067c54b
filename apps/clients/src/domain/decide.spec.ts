import {
  CLIENT_AGGREGATE,
  type Address,
  type BankAccount,
  type ClientEvent,
  type ClientRegistered,
} from '@clientbook/contracts';
import { deciderSpec } from '@clientbook/testing';
import { ClientCommand, ClientState, decide, evolve, initialState, RECENT_OPERATION_IDS } from './index';

// Every event the decider makes must also parse with its published schema (aggregateType).
const spec = deciderSpec<ClientCommand, ClientEvent, ClientState>({
  decide,
  evolve,
  initialState,
  aggregateType: CLIENT_AGGREGATE,
});

const address = (id: string, extra: Partial<Address> = {}): Address => ({
  id,
  line1: 'Gedimino pr. 1',
  line2: null,
  city: 'Vilnius',
  postalCode: '01103',
  country: 'LT',
  branchName: null,
  registration: false,
  correspondence: false,
  ...extra,
});

const account = (id: string, iban: string, extra: Partial<BankAccount> = {}): BankAccount => ({
  id,
  iban,
  bankName: null,
  bic: null,
  currency: 'EUR',
  main: false,
  showOnInvoice: true,
  ...extra,
});

const companyRegistered = (extra: Partial<ClientRegistered['data']> = {}): ClientRegistered => ({
  type: 'ClientRegistered',
  data: {
    kind: 'company',
    name: 'UAB Pavyzdys',
    firstName: null,
    lastName: null,
    code: '123456789',
    vatCode: 'LT123456715',
    roles: ['buyer'],
    residency: 'resident',
    email: 'info@pavyzdys.lt',
    phone: null,
    website: null,
    notes: null,
    addresses: [],
    bankAccounts: [],
    isOwnCompany: false,
    ...extra,
  },
});

const register = (
  details: Record<string, unknown>,
  extra: Partial<ClientCommand['data']> = {},
): ClientCommand =>
  ({
    type: 'RegisterClient',
    data: {
      details: { kind: 'company', ...details },
      addresses: [],
      bankAccounts: [],
      isOwnCompany: false,
      ...extra,
    },
  }) as ClientCommand;

describe('Client decider', () => {
  describe('register', () => {
    it('registers a company with normalized codes', () => {
      spec
        .given([])
        .when(
          register({
            name: '  UAB Pavyzdys ',
            code: '123 456 789',
            vatCode: 'lt123456715',
            roles: ['buyer'],
            email: 'info@pavyzdys.lt',
          }),
        )
        .then([companyRegistered()]);
    });

    it('derives a person’s name from first and last name', () => {
      const [event] = spec
        .given([])
        .when(register({ kind: 'person', firstName: 'Ona', lastName: 'Kazlauskienė', code: '49002150127' }))
        .then([expect.objectContaining({ type: 'ClientRegistered' }) as ClientEvent]);
      expect(event.data).toMatchObject({
        name: 'Ona Kazlauskienė',
        code: '49002150127',
        roles: [],
        residency: 'resident',
      });
    });

    it('names every invalid field at once', () => {
      spec
        .given([])
        .when(
          register(
            { kind: 'person', code: '38001010010', vatCode: 'LT123456716', email: 'not-mail' },
            {
              bankAccounts: [{ id: 'b1', iban: 'LT121000011101001001' }],
              addresses: [{ id: 'a1', line1: 'x', city: 'Vilnius', country: 'XX' }],
            },
          ),
        )
        .thenThrows('validation_failed', [
          { field: 'firstName', message: 'a person needs a first name' },
          { field: 'lastName', message: 'a person needs a last name' },
          { field: 'code', message: 'the personal code’s check digit is wrong' },
          { field: 'vatCode', message: 'the VAT code’s check digit is wrong' },
          { field: 'email', message: 'not an email address' },
          { field: 'addresses[0].country', message: 'an ISO 3166-1 alpha-2 country code, e.g. LT' },
          { field: 'bankAccounts[0].iban', message: 'the IBAN’s check digits are wrong' },
        ]);
    });

    it.each([
      [
        'a resident company',
        { residency: 'resident', code: '12345' },
        'a Lithuanian company code has 9 digits',
      ],
      [
        'a foreign company, code too long',
        { residency: 'foreign', code: 'X'.repeat(33) },
        'at most 32 characters',
      ],
    ])('checks the code of %s', (_name, details, message) => {
      spec
        .given([])
        .when(register({ name: 'X', ...details }))
        .thenThrows('validation_failed', [{ field: 'code', message }]);
    });

    it('takes a free-form code for a foreign company', () => {
      const [event] = spec
        .given([])
        .when(register({ name: 'Nordic Supplies AB', residency: 'foreign', code: '5567890123' }))
        .then([expect.anything() as ClientEvent]);
      expect(event.data).toMatchObject({ code: '5567890123', residency: 'foreign' });
    });

    it('refuses two main bank accounts, two registration addresses and one IBAN twice', () => {
      spec
        .given([])
        .when(
          register(
            { name: 'X' },
            {
              addresses: [
                { id: 'a1', line1: 'A', city: 'Vilnius', country: 'LT', registration: true },
                { id: 'a2', line1: 'B', city: 'Kaunas', country: 'lt', registration: true },
              ],
              bankAccounts: [
                { id: 'b1', iban: 'LT121000011101001000', main: true },
                { id: 'b2', iban: 'lt12 1000 0111 0100 1000', main: true },
              ],
            },
          ),
        )
        .thenThrows('validation_failed', [
          { field: 'addresses', message: 'at most one can be registration' },
          { field: 'bankAccounts', message: 'at most one can be main' },
          { field: 'bankAccounts[1].iban', message: 'this IBAN is already on the client' },
        ]);
    });

    it('refuses a person as the own company', () => {
      spec
        .given([])
        .when(register({ kind: 'person', firstName: 'A', lastName: 'B' }, { isOwnCompany: true }))
        .thenThrows('validation_failed', [{ field: 'kind', message: 'the own company is a company' }]);
    });

    it('refuses to register an existing client again', () => {
      spec
        .given([companyRegistered()])
        .when(register({ name: 'X' }))
        .thenThrows('non_unique_entry');
    });
  });

  describe('change details', () => {
    it('records only what changed; null clears a field', () => {
      spec
        .given([companyRegistered()])
        .when({
          type: 'ChangeClientDetails',
          data: { patch: { name: 'UAB Naujas', email: null, vatCode: 'LT123456715' } },
        })
        .then([{ type: 'ClientDetailsChanged', data: { changes: { name: 'UAB Naujas', email: null } } }]);
    });

    it('treats a key that is present but undefined as absent', () => {
      spec
        .given([companyRegistered()])
        .when({ type: 'ChangeClientDetails', data: { patch: { name: undefined, notes: 'VIP' } } })
        .then([{ type: 'ClientDetailsChanged', data: { changes: { notes: 'VIP' } } }]);
    });

    it('records nothing when nothing changes', () => {
      spec
        .given([companyRegistered()])
        .when({ type: 'ChangeClientDetails', data: { patch: { name: 'UAB Pavyzdys' } } })
        .then([]);
    });

    it('checks the code against the new residency', () => {
      spec
        .given([companyRegistered({ residency: 'foreign', code: 'ABC-1' })])
        .when({ type: 'ChangeClientDetails', data: { patch: { residency: 'resident' } } })
        .thenThrows('validation_failed', [
          { field: 'code', message: 'a Lithuanian company code has 9 digits' },
        ]);
    });

    it('re-derives a person’s name when a part changes', () => {
      const state = spec
        .given([
          companyRegistered({
            kind: 'person',
            name: 'Ona Kazlauskienė',
            firstName: 'Ona',
            lastName: 'Kazlauskienė',
            code: null,
          }),
        ])
        .when({ type: 'ChangeClientDetails', data: { patch: { lastName: 'Petraitienė' } } })
        .thenState();
      expect(state?.name).toBe('Ona Petraitienė');
    });

    it('unites and removes roles, and changes residency, in bulk', () => {
      spec
        .given([companyRegistered({ roles: ['buyer', 'bank'] })])
        .when({
          type: 'ChangeResidencyAndRoles',
          data: { residency: 'eu', addRoles: ['supplier'], removeRoles: ['bank'] },
        })
        .then([
          {
            type: 'ClientDetailsChanged',
            data: { changes: { roles: ['buyer', 'supplier'], residency: 'eu' } },
          },
        ]);
    });

    it('refuses changes to a deleted client', () => {
      spec
        .given([companyRegistered(), { type: 'ClientDeleted', data: { reason: null } }])
        .when({ type: 'ChangeClientDetails', data: { patch: { name: 'Y' } } })
        .thenThrows('client_deleted');
    });

    it('answers not_found for a client that does not exist', () => {
      spec
        .given([])
        .when({ type: 'ChangeClientDetails', data: { patch: { name: 'Y' } } })
        .thenThrows('not_found');
    });
  });

  describe('addresses and bank accounts', () => {
    it('moves the registration flag like a radio button', () => {
      const state = spec
        .given([
          companyRegistered({ addresses: [address('a1', { registration: true, correspondence: true })] }),
        ])
        .when({
          type: 'AddAddress',
          data: {
            address: { id: 'a2', line1: 'Laisvės al. 2', city: 'Kaunas', country: 'LT', registration: true },
          },
        })
        .thenState();
      expect(state?.addresses.map((a) => [a.id, a.registration, a.correspondence])).toEqual([
        ['a1', false, true],
        ['a2', true, false],
      ]);
    });

    it('keeps one main bank account', () => {
      const state = spec
        .given([companyRegistered({ bankAccounts: [account('b1', 'LT121000011101001000', { main: true })] })])
        .when({
          type: 'AddBankAccount',
          data: { bankAccount: { id: 'b2', iban: 'DE89370400440532013000', main: true } },
        })
        .thenState();
      expect(state?.bankAccounts.map((b) => [b.id, b.main])).toEqual([
        ['b1', false],
        ['b2', true],
      ]);
    });

    it('changes an address by merge patch and refuses an unknown one', () => {
      spec
        .given([companyRegistered({ addresses: [address('a1')] })])
        .when({
          type: 'ChangeAddress',
          data: { addressId: 'a1', patch: { city: 'Kaunas', postalCode: null } },
        })
        .then([
          { type: 'AddressChanged', data: { address: address('a1', { city: 'Kaunas', postalCode: null }) } },
        ]);
      spec
        .given([companyRegistered()])
        .when({ type: 'RemoveAddress', data: { addressId: 'nope' } })
        .thenThrows('not_found');
    });

    it('refuses an IBAN the client already has, ignoring spaces and case', () => {
      spec
        .given([companyRegistered({ bankAccounts: [account('b1', 'LT121000011101001000')] })])
        .when({
          type: 'AddBankAccount',
          data: { bankAccount: { id: 'b2', iban: 'lt12 1000 0111 0100 1000' } },
        })
        .thenThrows('validation_failed', [{ field: 'iban', message: 'this IBAN is already on the client' }]);
    });

    it('removes a bank account', () => {
      spec
        .given([companyRegistered({ bankAccounts: [account('b1', 'LT121000011101001000')] })])
        .when({ type: 'RemoveBankAccount', data: { bankAccountId: 'b1' } })
        .then([{ type: 'BankAccountRemoved', data: { bankAccountId: 'b1' } }]);
    });
  });

  describe('operations', () => {
    const r1 = { operationId: 'bank:R1', kind: 'bank_payment', ref: 'R1' } as const;
    const r2 = { operationId: 'bank:R2', kind: 'bank_payment', ref: 'R2' } as const;
    const record = (...operations: (typeof r1 | typeof r2)[]) =>
      ({ type: 'RecordOperations', data: { operations } }) as const;

    it('records an operation once: the same operation id again changes nothing', () => {
      spec
        .given([companyRegistered()])
        .when(record(r1))
        .then([{ type: 'OperationRecorded', data: r1 }]);
      spec
        .given([companyRegistered(), { type: 'OperationRecorded', data: r1 }])
        .when(record(r1))
        .then([]);
      expect(spec.given([companyRegistered()]).when(record(r1)).thenState()).toMatchObject({
        hasOperations: true,
        operations: 1,
      });
    });

    it('records a batch as one event per new operation, repeats within it once', () => {
      spec
        .given([companyRegistered(), { type: 'OperationRecorded', data: r1 }])
        .when(record(r1, r2, r2))
        .then([{ type: 'OperationRecorded', data: r2 }]);
      expect(spec.given([companyRegistered()]).when(record(r1, r2)).thenState()).toMatchObject({
        operations: 2,
      });
    });

    it('remembers the newest operation ids only, while the count keeps growing', () => {
      const many = Array.from({ length: RECENT_OPERATION_IDS + 5 }, (_, i) => ({
        type: 'OperationRecorded' as const,
        data: { operationId: `bank:${i}`, kind: 'bank_payment' as const, ref: String(i) },
      }));
      const state = spec
        .given([companyRegistered(), ...many])
        .when(record(r1))
        .thenState();
      expect(state).toMatchObject({ operations: RECENT_OPERATION_IDS + 6 });
      expect(state?.operationIds).toHaveLength(RECENT_OPERATION_IDS);
      expect(state?.operationIds?.at(-1)).toBe('bank:R1');
    });

    it('records operations only on active clients', () => {
      spec
        .given([companyRegistered(), { type: 'ClientDeleted', data: { reason: null } }])
        .when(record(r1))
        .thenThrows('client_deleted');
      spec.given([]).when(record(r1)).thenThrows('not_found');
    });
  });

  describe('delete', () => {
    it('deletes an ordinary client', () => {
      spec
        .given([companyRegistered()])
        .when({ type: 'DeleteClient', data: { reason: 'typo' } })
        .then([{ type: 'ClientDeleted', data: { reason: 'typo' } }]);
    });

    it('refuses to delete the own company', () => {
      spec
        .given([companyRegistered({ isOwnCompany: true })])
        .when({ type: 'DeleteClient', data: { reason: null } })
        .thenThrows('own_company');
    });

    it('refuses to delete a client with operations: it can only be merged', () => {
      spec
        .given([
          companyRegistered(),
          { type: 'OperationRecorded', data: { operationId: 'o1', kind: 'bank_payment', ref: 'R1' } },
        ])
        .when({ type: 'DeleteClient', data: { reason: null } })
        .thenThrows('client_has_operations');
    });

    it('refuses to delete twice', () => {
      spec
        .given([companyRegistered(), { type: 'ClientDeleted', data: { reason: null } }])
        .when({ type: 'DeleteClient', data: { reason: null } })
        .thenThrows('client_deleted');
    });
  });
});
