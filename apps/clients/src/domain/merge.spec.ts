import type { Address, BankAccount } from '@clientbook/contracts';
import type { Client } from './client-state';
import { planMerge } from './merge';

const client = (extra: Partial<Client> = {}): Client => ({
  kind: 'company',
  name: 'UAB Pavyzdys',
  firstName: null,
  lastName: null,
  code: null,
  vatCode: null,
  roles: [],
  residency: 'resident',
  email: null,
  phone: null,
  website: null,
  notes: null,
  addresses: [],
  bankAccounts: [],
  isOwnCompany: false,
  status: 'active',
  mergedInto: null,
  hasOperations: false,
  ...extra,
});

const address = (id: string, line1: string, extra: Partial<Address> = {}): Address => ({
  id,
  line1,
  line2: null,
  city: 'Vilnius',
  postalCode: null,
  country: 'LT',
  branchName: null,
  registration: false,
  correspondence: false,
  ...extra,
});

const account = (id: string, iban: string, main = false): BankAccount => ({
  id,
  iban,
  bankName: null,
  bic: null,
  currency: 'EUR',
  main,
  showOnInvoice: true,
});

describe('planMerge', () => {
  it('keeps the survivor’s values and fills its empty fields from the merged clients in order', () => {
    const plan = planMerge('m1', { id: 'keep', client: client({ email: 'keep@x.lt', roles: ['buyer'] }) }, [
      { id: 'a', client: client({ email: 'a@x.lt', phone: '+3701', roles: ['supplier'] }) },
      {
        id: 'b',
        client: client({
          phone: '+3702',
          vatCode: 'LT123456715',
          code: '123456789',
          roles: ['buyer', 'bank'],
        }),
      },
    ]);
    expect(plan.obstacles).toEqual([]);
    expect(plan.survivorEvent?.data.changes).toEqual({
      code: '123456789',
      vatCode: 'LT123456715',
      phone: '+3701',
      roles: ['buyer', 'supplier', 'bank'],
    });
    expect(plan.after).toMatchObject({
      email: 'keep@x.lt',
      phone: '+3701',
      code: '123456789',
      roles: ['buyer', 'supplier', 'bank'],
    });
    expect([...plan.mergedEvents.entries()]).toEqual([
      ['a', { type: 'ClientMergedInto', data: { mergeId: 'm1', survivorId: 'keep' } }],
      ['b', { type: 'ClientMergedInto', data: { mergeId: 'm1', survivorId: 'keep' } }],
    ]);
  });

  it('unites addresses and bank accounts once each, flags staying with the survivor', () => {
    const plan = planMerge(
      'm1',
      {
        id: 'keep',
        client: client({
          addresses: [address('k1', 'Gedimino pr. 1', { registration: true })],
          bankAccounts: [account('kb', 'LT121000011101001000', true)],
        }),
      },
      [
        {
          id: 'a',
          client: client({
            addresses: [
              address('a1', '  GEDIMINO pr.  1 ', { registration: true }),
              address('a2', 'Laisvės al. 2', { registration: true, correspondence: true }),
            ],
            bankAccounts: [
              account('ab', 'lt12 1000 0111 0100 1000', true),
              account('ac', 'DE89370400440532013000', true),
            ],
          }),
        },
      ],
    );
    expect(plan.after?.addresses.map((a) => [a.id, a.registration, a.correspondence])).toEqual([
      ['k1', true, false],
      ['a2', false, true],
    ]);
    expect(plan.after?.bankAccounts.map((b) => [b.id, b.main])).toEqual([
      ['kb', true],
      ['ac', false],
    ]);
  });

  it('moves the merged clients’ operations to the survivor', () => {
    const plan = planMerge('m1', { id: 'keep', client: client() }, [
      { id: 'a', client: client({ hasOperations: true, operations: 3 }) },
      { id: 'b', client: client({ hasOperations: true, operations: 2 }) },
    ]);
    expect(plan.operations).toBe(5);
    expect(plan.after).toMatchObject({ hasOperations: true, operations: 5 });
  });

  it('reports every obstacle at once and plans nothing', () => {
    const plan = planMerge('m1', { id: 'keep', client: client({ code: '111111111' }) }, [
      { id: 'keep', client: client() },
      { id: 'gone', client: null },
      { id: 'deleted', client: client({ status: 'deleted' }) },
      { id: 'merged', client: client({ status: 'merged', mergedInto: 'x' }) },
      { id: 'own', client: client({ isOwnCompany: true }) },
      { id: 'person', client: client({ kind: 'person', firstName: 'A', lastName: 'B' }) },
      { id: 'other-code', client: client({ code: '222222222' }) },
    ]);
    expect(plan.obstacles.map((o) => [o.field, o.code])).toEqual([
      ['keep', 'keep_in_merge_list'],
      ['gone', 'client_not_found'],
      ['deleted', 'client_not_active'],
      ['merged', 'client_not_active'],
      ['own', 'own_company_merged'],
      ['person', 'kind_mismatch'],
      ['other-code', 'code_conflict'],
    ]);
    expect(plan.survivorEvent).toBeNull();
    expect(plan.mergedEvents.size).toBe(0);
  });

  it('finds a code conflict between two merged clients when the survivor has no code', () => {
    const plan = planMerge('m1', { id: 'keep', client: client() }, [
      { id: 'a', client: client({ code: '111111111' }) },
      { id: 'b', client: client({ code: '111111111' }) },
      { id: 'c', client: client({ code: '333333333' }) },
    ]);
    expect(plan.obstacles.map((o) => [o.field, o.code])).toEqual([['c', 'code_conflict']]);
  });

  it('refuses a survivor that is missing or not active', () => {
    expect(planMerge('m1', { id: 'k', client: null }, [{ id: 'a', client: client() }]).obstacles).toEqual([
      { field: 'k', code: 'client_not_found', message: 'no client k' },
    ]);
    expect(
      planMerge('m1', { id: 'k', client: client({ status: 'deleted' }) }, [{ id: 'a', client: client() }])
        .obstacles[0].code,
    ).toBe('client_not_active');
  });

  it('lets the own company be the survivor', () => {
    expect(
      planMerge('m1', { id: 'own', client: client({ isOwnCompany: true }) }, [{ id: 'a', client: client() }])
        .obstacles,
    ).toEqual([]);
  });
});
