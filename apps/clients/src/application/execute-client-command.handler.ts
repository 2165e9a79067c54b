import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ClientEvent } from '@clientbook/contracts';
import pRetry from 'p-retry';
import { AFTER_CONCURRENT_WRITES, VersionConflictError } from '@clientbook/event-store';
import type { Caller } from '@clientbook/platform';
import {
  ClientCommand,
  ClientError,
  ClientState,
  decide,
  evolve,
  type ClientSnapshot,
  emptySnapshot,
  foldEnvelopes,
} from '../domain';
import { CodeReservations } from './code-reservations';
import { CommandFaults } from './command-faults';
import { ClientLocks } from '../infrastructure/client-locks';
import { ClientRepository } from '../infrastructure/client-repository';

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

/** The code a client holds: only an active client holds one. */
const heldCode = (state: ClientState): string | null => (state?.status === 'active' ? state.code : null);

@CommandHandler(ExecuteClientCommand)
export class ExecuteClientCommandHandler implements ICommandHandler<ExecuteClientCommand, ClientSnapshot> {
  constructor(
    private readonly clients: ClientRepository,
    private readonly reservations: CodeReservations,
    private readonly locks: ClientLocks,
    private readonly faults: CommandFaults,
  ) {}

  async execute({
    caller,
    clientId,
    command,
    ifMatch,
    newClient,
  }: ExecuteClientCommand): Promise<ClientSnapshot> {
    // A write without If-Match is tried again, on the client as it is then, when another write
    // got in first; one with If-Match is not.
    try {
      return await pRetry(
        (attempt) => this.attempt(caller, clientId, command, ifMatch, newClient && attempt === 1),
        {
          ...AFTER_CONCURRENT_WRITES,
          shouldRetry: ({ error }) => error instanceof VersionConflictError && ifMatch === null,
        },
      );
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      throw new ClientError(
        'version_conflict',
        'another write changed the client first; read it again and retry',
      );
    }
  }

  /** One attempt of the command: decide on the client as stored, and append under its lock. */
  private async attempt(
    caller: Caller,
    clientId: string,
    command: ExecuteClientCommand['command'],
    ifMatch: number | null,
    surelyNew: boolean,
  ): Promise<ClientSnapshot> {
    const { tenantId } = caller;
    const snapshot = surelyNew ? emptySnapshot(clientId) : await this.clients.load(tenantId, clientId);
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
    const lock = surelyNew ? null : await this.locks.lockForWrite(tenantId, clientId);
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
    } finally {
      await lock?.release().catch(() => undefined);
    }
  }
}
