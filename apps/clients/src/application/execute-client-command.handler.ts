import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ClientEvent } from '@clientbook/contracts';
import { VersionConflictError } from '@clientbook/event-store';
import type { Caller } from '@clientbook/platform';
import { ClientCommand, ClientError, ClientState, decide, evolve } from '../domain';
import type { ClientSnapshot } from '../infrastructure/client-cards';
import { ClientRepository, emptySnapshot, foldEnvelopes } from './client-repository';
import { CodeReservations } from './code-reservations';
import { CommandFaults } from './command-faults';
import { MergeLocks } from '../merge/merge-locks';

/** Runs one command against one client: load, decide, reserve codes, append. */
export class ExecuteClientCommand {
  constructor(
    readonly caller: Caller,
    readonly clientId: string,
    readonly command: ClientCommand,
    /** The version an `If-Match` named: the write happens only on exactly that version. */
    readonly ifMatch: number | null = null,
    /** The id was just generated for this command, so there is nothing to load. */
    readonly newClient = false,
  ) {}
}

const MAX_ATTEMPTS = 5;

/** The code a client holds: only an active client holds one. */
const heldCode = (state: ClientState): string | null => (state?.status === 'active' ? state.code : null);

@CommandHandler(ExecuteClientCommand)
export class ExecuteClientCommandHandler implements ICommandHandler<ExecuteClientCommand, ClientSnapshot> {
  constructor(
    private readonly clients: ClientRepository,
    private readonly reservations: CodeReservations,
    private readonly locks: MergeLocks,
    private readonly faults: CommandFaults,
  ) {}

  async execute({
    caller,
    clientId,
    command,
    ifMatch,
    newClient,
  }: ExecuteClientCommand): Promise<ClientSnapshot> {
    const { tenantId } = caller;
    // A write without If-Match retries when another write got in first; one with If-Match does not.
    for (let attempt = 1; ; attempt += 1) {
      const snapshot =
        newClient && attempt === 1 ? emptySnapshot(clientId) : await this.clients.load(tenantId, clientId);
      if (ifMatch !== null && snapshot.client && snapshot.version !== ifMatch) {
        throw new ClientError(
          'version_conflict',
          `the client is at version ${snapshot.version}, not ${ifMatch}`,
        );
      }
      const events: ClientEvent[] = decide(command, snapshot.client);
      if (events.length === 0) return snapshot;
      // The client's lock, held until the events are stored: a merge under way refuses the write,
      // and no merge plans on this client while the write is in flight.
      const lock = newClient ? null : await this.locks.lockForWrite(tenantId, clientId);
      const before = heldCode(snapshot.client);
      const after = heldCode(events.reduce(evolve, snapshot.client));
      const claims = after !== null && after !== before;
      try {
        if (claims) await this.reservations.reserve(tenantId, after, clientId);
        try {
          await this.faults.beforeAppend(clientId);
          const stored = await this.clients.append(tenantId, clientId, snapshot.version, events, {
            actor: caller.actor,
            correlationId: caller.correlationId,
            causationId: null,
          });
          if (before !== null && before !== after)
            await this.reservations.release(tenantId, before, clientId).catch(() => undefined);
          return foldEnvelopes(snapshot, stored);
        } catch (error) {
          if (claims) await this.reservations.release(tenantId, after, clientId).catch(() => undefined);
          throw error;
        }
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
        if (ifMatch !== null || attempt >= MAX_ATTEMPTS) {
          throw new ClientError(
            'version_conflict',
            'another write changed the client first; read it again and retry',
          );
        }
      } finally {
        await lock?.release().catch(() => undefined);
      }
    }
  }
}
