import { CRM_DEFINITIONS_AGGREGATE, type CrmEvent } from '@clientbook/contracts';
import { deciderSpec } from '@clientbook/testing';
import {
  decideDefinitions,
  DEFAULT_DEFINITIONS,
  Definitions,
  DefinitionsCommand,
  evolveDefinitions,
  idOf,
  orderedStatuses,
} from './index';

const spec = deciderSpec<DefinitionsCommand, CrmEvent, Definitions>({
  decide: decideDefinitions,
  evolve: evolveDefinitions,
  initialState: () => DEFAULT_DEFINITIONS,
  aggregateType: CRM_DEFINITIONS_AGGREGATE,
});

describe('CRM definitions', () => {
  it('starts a tenant with the five statuses, four attributes and five call outcomes API.md names', () => {
    const state = spec
      .given([])
      .when({ type: 'DefineCallOutcome', data: { name: 'Perskambinti' } })
      .thenState();
    expect(orderedStatuses(state).map((s) => [s.id, s.name, s.closed])).toEqual([
      ['prospect', 'Potencialus klientas', false],
      ['customer', 'Klientas', false],
      ['partner', 'Partneris', false],
      ['inactive', 'Neaktyvus', true],
      ['lost', 'Prarastas', true],
    ]);
    expect(state.attributes.map((a) => [a.id, a.name])).toEqual([
      ['supplier-partner', 'Tiekėjas/Partneris'],
      ['customer', 'Klientas'],
      ['potential-customer', 'Potencialus klientas'],
      ['group-member', 'Mano įmonių grupės narys'],
    ]);
    expect(state.callOutcomes.map((o) => o.id)).toEqual([
      'answered',
      'no_answer',
      'busy',
      'voicemail',
      'wrong_number',
      'perskambinti',
    ]);
  });

  it('adds a status after the others, its id made of its name', () => {
    spec
      .given([])
      .when({ type: 'DefineStatus', data: { name: 'Karštas klientas', color: '#C0392B' } })
      .then([
        {
          type: 'StatusDefined',
          data: {
            status: {
              id: 'karstas-klientas',
              name: 'Karštas klientas',
              color: '#c0392b',
              order: 6,
              closed: false,
            },
          },
        },
      ]);
  });

  it('refuses a status without a name, a bad colour or order, naming every field', () => {
    spec
      .given([])
      .when({ type: 'DefineStatus', data: { name: ' ', color: 'red', order: 1.5, closed: 'yes' } })
      .thenThrows('validation_failed', [
        { field: 'name', message: expect.any(String) },
        { field: 'color', message: expect.any(String) },
        { field: 'order', message: expect.any(String) },
        { field: 'closed', message: expect.any(String) },
      ]);
  });

  it('refuses a second status of the same name, case ignored', () => {
    spec
      .given([])
      .when({ type: 'DefineStatus', data: { name: 'KLIENTAS' } })
      .thenThrows('validation_failed', [
        { field: 'name', message: expect.stringContaining('already defined') },
      ]);
  });

  it('records only what a change changes, and nothing for no change', () => {
    spec
      .given([])
      .when({
        type: 'UpdateStatus',
        data: { statusId: 'lost', patch: { name: 'Prarastas', color: '#000000' } },
      })
      .then([{ type: 'StatusUpdated', data: { statusId: 'lost', changes: { color: '#000000' } } }]);
    spec
      .given([])
      .when({ type: 'UpdateStatus', data: { statusId: 'lost', patch: { closed: true } } })
      .then([]);
  });

  it('answers not_found for a status or attribute the tenant does not have', () => {
    spec
      .given([])
      .when({ type: 'UpdateStatus', data: { statusId: 'vip', patch: {} } })
      .thenThrows('not_found');
    spec
      .given([])
      .when({ type: 'RemoveAttribute', data: { attributeId: 'vip' } })
      .thenThrows('not_found');
  });

  it('does not remove a status a client holds (status_in_use), and removes it once none does', () => {
    spec
      .given([])
      .when({ type: 'RemoveStatus', data: { statusId: 'customer', clientsHoldingIt: 3 } })
      .thenThrows('status_in_use');
    const state = spec
      .given([])
      .when({ type: 'RemoveStatus', data: { statusId: 'customer', clientsHoldingIt: 0 } })
      .thenState();
    expect(state.statuses.map((s) => s.id)).not.toContain('customer');
  });

  it('adds, renames and removes an attribute', () => {
    const added = spec
      .given([])
      .when({ type: 'DefineAttribute', data: { name: 'VIP' } })
      .thenState();
    expect(added.attributes.at(-1)).toEqual({ id: 'vip', name: 'VIP', color: null });
    const given: CrmEvent[] = [
      { type: 'AttributeDefined', data: { attribute: { id: 'vip', name: 'VIP', color: null } } },
    ];
    spec
      .given(given)
      .when({ type: 'UpdateAttribute', data: { attributeId: 'vip', patch: { name: 'Svarbus' } } })
      .then([{ type: 'AttributeUpdated', data: { attributeId: 'vip', changes: { name: 'Svarbus' } } }]);
    spec
      .given(given)
      .when({ type: 'RemoveAttribute', data: { attributeId: 'vip' } })
      .then([{ type: 'AttributeRemoved', data: { attributeId: 'vip' } }]);
  });

  it('never gives a removed attribute’s id again, so an old reference stays dead', () => {
    const removed: CrmEvent[] = [
      { type: 'AttributeDefined', data: { attribute: { id: 'vip', name: 'VIP', color: null } } },
      { type: 'AttributeRemoved', data: { attributeId: 'vip' } },
    ];
    const state = spec
      .given(removed)
      .when({ type: 'DefineAttribute', data: { name: 'VIP' } })
      .thenState();
    expect(state.attributes.at(-1)?.id).toBe('vip-2');
  });

  it('keeps each list to 200 entries', () => {
    const many: CrmEvent[] = Array.from({ length: 195 }, (_, i) => ({
      type: 'AttributeDefined',
      data: { attribute: { id: `a${i}`, name: `A ${i}`, color: null } },
    }));
    spec
      .given(many)
      .when({ type: 'DefineAttribute', data: { name: 'Dar vienas' } })
      .thenState();
    spec
      .given([
        ...many,
        { type: 'AttributeDefined', data: { attribute: { id: 'x', name: 'X', color: null } } },
      ])
      .when({ type: 'DefineAttribute', data: { name: 'Per daug' } })
      .thenThrows('validation_failed', [{ field: 'name', message: 'a tenant has at most 200 attributes' }]);
  });

  it('gives a call outcome a snake_case id that no other outcome has', () => {
    spec
      .given([])
      .when({ type: 'DefineCallOutcome', data: { name: 'No answer' } })
      .then([{ type: 'CallOutcomeDefined', data: { outcome: { id: 'no_answer_2', name: 'No answer' } } }]);
  });

  it('makes ids of names without diacritics, unique among those taken', () => {
    expect(idOf('Šiaulių Žąsys', [])).toBe('siauliu-zasys');
    expect(idOf('Klientas', ['klientas', 'klientas-2'])).toBe('klientas-3');
    expect(idOf('!!!', [])).toBe('item');
  });
});
