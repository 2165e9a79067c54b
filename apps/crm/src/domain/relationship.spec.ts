import { CLIENT_RELATIONSHIP_AGGREGATE, type CrmEvent } from '@clientbook/contracts';
import { deciderSpec } from '@clientbook/testing';
import {
  decideRelationship,
  DEFAULT_DEFINITIONS,
  evolveRelationship,
  NEW_RELATIONSHIP,
  Relationship,
  RelationshipCommand,
} from './index';

const spec = deciderSpec<RelationshipCommand, CrmEvent, Relationship>({
  decide: (command, state) => decideRelationship(command, state, DEFAULT_DEFINITIONS),
  evolve: evolveRelationship,
  initialState: () => NEW_RELATIONSHIP,
  aggregateType: CLIENT_RELATIONSHIP_AGGREGATE,
});

const customer: CrmEvent = {
  type: 'ClientStatusSet',
  data: { statusId: 'customer', previousStatusId: null, comment: null },
};

describe('a client’s CRM status and attributes', () => {
  it('sets a status, remembering the one before and the comment', () => {
    spec
      .given([customer])
      .when({ type: 'SetStatus', data: { statusId: 'partner', comment: '  pasirašė sutartį ' } })
      .then([
        {
          type: 'ClientStatusSet',
          data: { statusId: 'partner', previousStatusId: 'customer', comment: 'pasirašė sutartį' },
        },
      ]);
  });

  it('clears the status with null, and records nothing when it is already what is asked', () => {
    spec
      .given([customer])
      .when({ type: 'SetStatus', data: { statusId: null } })
      .then([
        { type: 'ClientStatusSet', data: { statusId: null, previousStatusId: 'customer', comment: null } },
      ]);
    spec
      .given([customer])
      .when({ type: 'SetStatus', data: { statusId: 'customer' } })
      .then([]);
  });

  it('refuses a status the tenant does not have, or a comment that is not text, naming the fields', () => {
    spec
      .given([])
      .when({ type: 'SetStatus', data: { statusId: 'vip', comment: 42 } })
      .thenThrows('validation_failed', [
        { field: 'statusId', message: expect.stringContaining('no status vip') },
        { field: 'comment', message: expect.any(String) },
      ]);
    spec
      .given([])
      .when({ type: 'SetStatus', data: {} as { statusId: unknown } })
      .thenThrows('validation_failed');
  });

  it('adds and removes attributes idempotently', () => {
    const added: CrmEvent = { type: 'ClientAttributeAdded', data: { attributeId: 'customer' } };
    spec
      .given([])
      .when({ type: 'AddAttribute', data: { attributeId: 'customer' } })
      .then([added]);
    spec
      .given([added])
      .when({ type: 'AddAttribute', data: { attributeId: 'customer' } })
      .then([]);
    spec
      .given([added])
      .when({ type: 'RemoveAttribute', data: { attributeId: 'customer' } })
      .then([{ type: 'ClientAttributeRemoved', data: { attributeId: 'customer', because: 'removed' } }]);
    spec
      .given([])
      .when({ type: 'RemoveAttribute', data: { attributeId: 'customer' } })
      .then([]);
  });

  it('answers not_found for an attribute the tenant does not have', () => {
    spec
      .given([])
      .when({ type: 'AddAttribute', data: { attributeId: 'vip' } })
      .thenThrows('not_found');
  });
});
