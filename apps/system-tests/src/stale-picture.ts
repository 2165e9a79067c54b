import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { atCurrentVersions, CLIENT_AGGREGATE } from '@clientbook/contracts';
import { EventStore } from '@clientbook/event-store';
import { eventually } from '@clientbook/testing';
import { ClientCards } from '@clientbook/clients-app';

/**
 * Another writer (another instance, as it were: straight to the event store) changes a client at
 * version 1, and this instance's picture of it is set back to version 1: the state in which its
 * commands start from a client that is not the latest.
 */
export async function changedElsewhere(
  clientsApp: INestApplication,
  tenantId: string,
  clientId: string,
  changes: Record<string, unknown>,
): Promise<void> {
  const cards = clientsApp.get(ClientCards);
  await eventually(async () => expect((await cards.find(tenantId, clientId))?.lastVersion).toBe(1));
  const before = await cards.find(tenantId, clientId);
  await clientsApp.get(EventStore).append({
    tenantId,
    aggregateType: CLIENT_AGGREGATE,
    aggregateId: clientId,
    expectedVersion: 1,
    events: atCurrentVersions([{ type: 'ClientDetailsChanged', data: { changes } }]),
    metadata: { actor: { kind: 'system', id: 'elsewhere' }, correlationId: randomUUID(), causationId: null },
  });
  await eventually(() => expect(cards.inMemory(tenantId, clientId)?.lastVersion).toBe(2));
  if (before) cards.remember(before);
  expect(cards.inMemory(tenantId, clientId)?.lastVersion).toBe(1);
}
