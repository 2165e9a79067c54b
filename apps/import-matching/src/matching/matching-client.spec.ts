import type { ClientEvent } from '@clientbook/contracts';
import { concernsMatching, evolveMatchingClient } from './matching-client';

const registered = {
  type: 'ClientRegistered',
  data: {
    kind: 'company',
    name: 'UAB Alfa',
    firstName: null,
    lastName: null,
    code: '304567891',
    email: null,
    bankAccounts: [{ id: 'b1', iban: 'LT121000011101001000' }],
  },
} as unknown as ClientEvent;

const passedOver = [
  { type: 'OperationRecorded', data: { operationId: 'bank:R1', kind: 'bank_payment', ref: 'R1' } },
  { type: 'AddressAdded', data: { address: { id: 'a1', line1: 'Gedimino pr. 1', city: 'Vilnius' } } },
  { type: 'AddressRemoved', data: { addressId: 'a1' } },
  { type: 'ClientDetailsChanged', data: { changes: { notes: 'called back', phone: '+37060000000' } } },
] as unknown as ClientEvent[];

describe('the matching model', () => {
  it('passes over the events that change no matching field, and only those', () => {
    const state = evolveMatchingClient(null, registered);
    for (const event of passedOver) {
      expect(concernsMatching(event)).toBe(false);
      expect(evolveMatchingClient(state, event)).toEqual(state);
    }
    expect(concernsMatching(registered)).toBe(true);
    expect(concernsMatching({ type: 'ClientDeleted', data: { reason: null } } as ClientEvent)).toBe(true);
    for (const changes of [{ name: 'UAB Beta' }, { email: 'info@beta.lt' }, { code: null, notes: 'x' }]) {
      const event = { type: 'ClientDetailsChanged', data: { changes } } as ClientEvent;
      expect(concernsMatching(event)).toBe(true);
      expect(evolveMatchingClient(state, event)).not.toEqual(state);
    }
  });
});
