import { Injectable } from '@nestjs/common';
import type { CrmEvent } from '@clientbook/contracts';
import pRetry from 'p-retry';
import { AFTER_CONCURRENT_WRITES, VersionConflictError } from '@clientbook/event-store';
import type { Caller } from '@clientbook/platform';
import { decideDefinitions, Definitions, DefinitionsCommand, evolveDefinitions } from '../domain';
import { CrmCards } from '../infrastructure/crm-cards';
import { CrmStreams } from '../infrastructure/crm-streams';
import { KnownClients } from '../infrastructure/known-clients';
import { AttributeSweep } from './attribute-sweep';
import { metadataOf } from './metadata';

/** The tenant's CRM vocabulary: read, and changed by admins. */
@Injectable()
export class CrmDefinitions {
  constructor(
    private readonly streams: CrmStreams,
    private readonly cards: CrmCards,
    private readonly sweep: AttributeSweep,
    private readonly clients: KnownClients,
  ) {}

  async get(caller: Caller): Promise<Definitions> {
    return (await this.streams.definitions(caller.tenantId)).state;
  }

  /** Applies a change (after a concurrent change, on the definitions as they are then). */
  async change(
    caller: Caller,
    command: DefinitionsCommand,
  ): Promise<{ state: Definitions; events: CrmEvent[] }> {
    const changed = await pRetry(
      async () => {
        const loaded = await this.streams.definitions(caller.tenantId);
        const events = decideDefinitions(await this.withUse(caller, command), loaded.state);
        if (events.length > 0)
          await this.streams.appendDefinitions(caller.tenantId, loaded.version, events, metadataOf(caller));
        return { state: events.reduce(evolveDefinitions, loaded.state), events };
      },
      { ...AFTER_CONCURRENT_WRITES, shouldRetry: ({ error }) => error instanceof VersionConflictError },
    );
    // A removed attribute leaves every client that has it (again from the topic, after a crash).
    for (const event of changed.events)
      if (event.type === 'AttributeRemoved') await this.sweep.sweep(caller, event.data.attributeId);
    return changed;
  }

  /** A status removal needs to know how many clients hold the status. */
  private async withUse(caller: Caller, command: DefinitionsCommand): Promise<DefinitionsCommand> {
    if (command.type !== 'RemoveStatus') return command;
    // A deleted or merged client keeps its last status in its history, not in use.
    const holders = await this.cards.holdingStatus(caller.tenantId, command.data.statusId);
    const gone = await this.clients.gone(caller.tenantId, holders);
    const clientsHoldingIt = holders.filter((id) => !gone.has(id)).length;
    return { type: 'RemoveStatus', data: { ...command.data, clientsHoldingIt } };
  }
}
