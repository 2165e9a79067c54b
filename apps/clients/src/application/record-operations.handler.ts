import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ClientEvent, ClientOperation } from '@clientbook/contracts';
import pMap from 'p-map';
import { VersionConflictError } from '@clientbook/event-store';
import type { Caller } from '@clientbook/platform';
import { ClientError, type ClientSnapshot, decide, type RecordOperations } from '../domain';
import { CommandFaults } from './command-faults';
import { ExecuteClientCommand } from './execute-client-command.handler';
import { ClientLocks } from '../infrastructure/client-locks';
import { ClientRepository } from '../infrastructure/client-repository';

/** Operations on many clients at once (an import's chunk): per client, the operations to record. */
export class RecordClientOperations {
  constructor(
    readonly caller: Caller,
    readonly operations: ReadonlyMap<string, readonly ClientOperation[]>,
  ) {}
}

/** Clients whose operations go the way of a single command, this many at a time. */
const ONE_BY_ONE_IN_FLIGHT = 16;

type Planned = { clientId: string; snapshot: ClientSnapshot; events: ClientEvent[] };

/**
 * Records many clients' operations with a few round trips in all, not several per client: each
 * client decided on as this instance last saw it (no read), every lock taken by one insert, the
 * appends stored together (the event store's group commit), the locks freed by one delete. A
 * client that does not fit that path — not seen yet, refused, nothing new to record, locked by
 * another write or a merge, or changed meanwhile (its append refused) — is then written as a
 * single command is, which loads it and waits or refuses as that does. Answers the refusals
 * (deleted, merged, unknown client) by client id; any other failure throws, and the whole call
 * can be made again (an operation id is recorded once).
 */
@CommandHandler(RecordClientOperations)
export class RecordClientOperationsHandler implements ICommandHandler<
  RecordClientOperations,
  Map<string, ClientError>
> {
  constructor(
    private readonly clients: ClientRepository,
    private readonly locks: ClientLocks,
    private readonly faults: CommandFaults,
    private readonly commands: CommandBus,
  ) {}

  async execute({ caller, operations }: RecordClientOperations): Promise<Map<string, ClientError>> {
    const { tenantId } = caller;
    const oneByOne: string[] = [];
    const planned: Planned[] = [];
    for (const [clientId, list] of operations) {
      const snapshot = this.clients.recent(tenantId, clientId);
      const events = snapshot ? this.decided(snapshot, list) : [];
      if (snapshot && events.length > 0) planned.push({ clientId, snapshot, events });
      else oneByOne.push(clientId);
    }
    if (planned.length > 0) oneByOne.push(...(await this.appendTogether(caller, planned)));
    const refusals = new Map<string, ClientError>();
    await pMap(
      oneByOne,
      async (clientId) => {
        try {
          await this.commands.execute(
            new ExecuteClientCommand(caller, clientId, command(operations.get(clientId) ?? [])),
          );
        } catch (error) {
          if (!(error instanceof ClientError)) throw error;
          refusals.set(clientId, error);
        }
      },
      { concurrency: ONE_BY_ONE_IN_FLIGHT },
    );
    return refusals;
  }

  /** The events of recording `list` on the client as last seen; none when refused there. */
  private decided(snapshot: ClientSnapshot, list: readonly ClientOperation[]): ClientEvent[] {
    try {
      return decide(command(list), snapshot.client);
    } catch (error) {
      if (error instanceof ClientError) return [];
      throw error;
    }
  }

  /** Appends the planned clients' events under one set of locks: the ids left to write one by one. */
  private async appendTogether(caller: Caller, planned: readonly Planned[]): Promise<string[]> {
    const { tenantId } = caller;
    const metadata = { actor: caller.actor, correlationId: caller.correlationId, causationId: null };
    const locks = await this.locks.lockManyForWrite(
      tenantId,
      planned.map((p) => p.clientId),
    );
    const left = planned.filter((p) => !locks.locked.has(p.clientId)).map((p) => p.clientId);
    try {
      const writing = planned.filter((p) => locks.locked.has(p.clientId));
      const outcomes = await Promise.allSettled(
        writing.map(async ({ clientId, snapshot, events }) => {
          await this.faults.beforeAppend(clientId);
          await this.clients.write(tenantId, snapshot, events, metadata);
        }),
      );
      let failure: unknown = null;
      outcomes.forEach((outcome, index) => {
        if (outcome.status === 'fulfilled') return;
        const { clientId } = writing[index];
        if (outcome.reason instanceof VersionConflictError) left.push(clientId);
        else failure ??= outcome.reason;
      });
      if (failure !== null) throw failure;
    } finally {
      await locks.release().catch(() => undefined);
    }
    return left;
  }
}

const command = (operations: readonly ClientOperation[]): RecordOperations => ({
  type: 'RecordOperations',
  data: { operations },
});
