import { sampleOrders } from '@clientbook/testing';
import { EshopClientDraft, EshopOrder, matchEshopOrder, MatchingSettings } from './match-eshop-order';
import { MatchingIndex } from '../matching/matching-index';
import { matchableFromDraft } from '../matching/decisions';

// The project's own sample orders (libs/testing): WC-5001 … WC-5005.
const orders = (): EshopOrder[] => sampleOrders().orders;

/** Imports the sample orders as an import does: what an order creates, later orders can match. */
function importOrders(index: MatchingIndex, settings: MatchingSettings) {
  let created = 0;
  return orders().map((order) => {
    const decision = matchEshopOrder(index, order, settings);
    if (decision.outcome !== 'create')
      return {
        ref: order.orderId,
        outcome: decision.outcome,
        clientId: 'clientId' in decision ? decision.clientId : null,
        by: 'matchedBy' in decision ? decision.matchedBy : null,
      };
    created += 1;
    const draft: EshopClientDraft = decision.draft;
    index.put(matchableFromDraft(`new-${created}`, `2026-12-01T00:00:0${created}Z`, draft));
    return { ref: order.orderId, outcome: 'created', clientId: `new-${created}`, by: null, draft };
  });
}

describe('matching e-shop orders', () => {
  it('gives every order of the sample its documented outcome', () => {
    const results = importOrders(new MatchingIndex(), { prioritySearchByName: false });
    expect(results.map((r) => [r.ref, r.outcome, r.clientId, r.by])).toEqual([
      ['WC-5001', 'created', 'new-1', null],
      ['WC-5002', 'matched', 'new-1', 'name_email'],
      ['WC-5003', 'created', 'new-2', null],
      ['WC-5004', 'created', 'new-3', null],
      ['WC-5005', 'created', 'new-4', null],
    ]);
    expect(results[0].draft).toEqual({
      kind: 'person',
      name: null,
      firstName: 'Jonas',
      lastName: 'Jonaitis',
      code: null,
      vatCode: null,
      email: 'jonas.jonaitis@example.com',
      phone: '+37061111222',
      roles: ['buyer'],
      residency: 'resident',
      bankAccounts: [],
      addresses: [{ line1: 'Tilžės g. 60', city: 'Šiauliai', postalCode: '76290', country: 'LT' }],
    });
    expect(results[3].draft).toMatchObject({
      kind: 'company',
      name: 'MB Saulėta Diena',
      code: '305627344',
      vatCode: 'LT305612812',
      firstName: null,
    });
  });

  it('matches WC-5003 to the first Jonas Jonaitis when the tenant searches by name first', () => {
    const results = importOrders(new MatchingIndex(), { prioritySearchByName: true });
    expect(results.map((r) => [r.ref, r.outcome, r.clientId, r.by]).slice(0, 3)).toEqual([
      ['WC-5001', 'created', 'new-1', null],
      ['WC-5002', 'matched', 'new-1', 'name'],
      ['WC-5003', 'matched', 'new-1', 'name'],
    ]);
  });

  it('matches an order with a company by its code, else by the company name', () => {
    const index = new MatchingIndex();
    index.put({
      id: 'by-name',
      createdAt: '2026-01-01T00:00:00Z',
      kind: 'company',
      name: 'SAULETA DIENA, MB',
      code: null,
      ibans: [],
      email: null,
    });
    const order = orders()[3];
    expect(matchEshopOrder(index, order, { prioritySearchByName: false })).toMatchObject({
      outcome: 'matched',
      clientId: 'by-name',
      matchedBy: 'name',
    });
    index.put({
      id: 'by-code',
      createdAt: '2026-02-01T00:00:00Z',
      kind: 'company',
      name: 'Kita',
      code: '305627344',
      ibans: [],
      email: null,
    });
    expect(matchEshopOrder(index, order, { prioritySearchByName: false })).toMatchObject({
      outcome: 'matched',
      clientId: 'by-code',
      matchedBy: 'code',
    });
  });

  it('matches Šarūnas Petrauskas only with the same e-mail (case ignored)', () => {
    const index = new MatchingIndex();
    index.put({
      id: 'bank-sarunas',
      createdAt: '2026-01-01T00:00:00Z',
      kind: 'person',
      name: 'Sarunas Petrauskas',
      code: null,
      ibans: [],
      email: null,
    });
    expect(matchEshopOrder(index, orders()[4], { prioritySearchByName: false }).outcome).toBe('create');
    index.put({
      id: 'shop-sarunas',
      createdAt: '2026-01-02T00:00:00Z',
      kind: 'person',
      name: 'Šarūnas Petrauskas',
      code: null,
      ibans: [],
      email: 'SARUNAS.PETRAUSKAS@example.com',
    });
    expect(matchEshopOrder(index, orders()[4], { prioritySearchByName: false })).toMatchObject({
      clientId: 'shop-sarunas',
      matchedBy: 'name_email',
    });
  });
});
