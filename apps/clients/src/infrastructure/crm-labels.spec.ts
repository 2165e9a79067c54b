import type { CrmEvent } from '@clientbook/contracts';
import { labelsAfter } from './crm-labels';

describe('a client’s CRM labels, as the crm topic tells them', () => {
  const fold = (...events: CrmEvent[]) => events.reduce(labelsAfter, { statusId: null, attributes: [] });

  it('follows status and attribute changes, and what a merge brought', () => {
    expect(
      fold(
        { type: 'ClientStatusSet', data: { statusId: 'customer', previousStatusId: null, comment: null } },
        { type: 'ClientAttributeAdded', data: { attributeId: 'customer' } },
        { type: 'ClientAttributeAdded', data: { attributeId: 'customer' } },
        { type: 'ClientAttributeAdded', data: { attributeId: 'group-member' } },
        { type: 'ClientAttributeRemoved', data: { attributeId: 'customer', because: 'removed' } },
        {
          type: 'RelationshipsMerged',
          data: { mergeId: 'm', mergedIds: ['x'], statusId: null, addedAttributes: ['supplier-partner'] },
        },
      ),
    ).toEqual({ statusId: 'customer', attributes: ['group-member', 'supplier-partner'] });
    expect(
      fold({
        type: 'RelationshipsMerged',
        data: { mergeId: 'm', mergedIds: ['x'], statusId: 'partner', addedAttributes: [] },
      }).statusId,
    ).toBe('partner');
  });
});
