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

/** Where an attempt of a command starts (see `startFrom`). */
type Start = 'new' | 'recent' | 'stored';

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
    // got in first; one with If-Match is not. The first attempt starts from the client as this
    // instance last saw it (no read); a later one from the store.
    try {
      return await pRetry(
        (attempt) =>
          this.attempt(
            caller,
            clientId,
            command,
            ifMatch,
            attempt > 1 || ifMatch !== null ? 'stored' : newClient ? 'new' : 'recent',
          ),
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

  /**
   * Where an attempt starts: `new`, nothing (the id was just generated); `recent`, the client as
   * this instance last wrote or projected it — or, for a registration it has never seen, nothing —
   * which the append proves (the store refuses a version that is not the latest); `stored`, the
   * client loaded from the store. Only a start from the store is taken at its word.
   */
  private async startFrom(
    tenantId: string,
    clientId: string,
    command: ClientCommand,
    start: Start,
  ): Promise<{ snapshot: ClientSnapshot; proven: boolean }> {
    if (start === 'new') return { snapshot: emptySnapshot(clientId), proven: true };
    if (start === 'recent') {
      const recent = this.clients.recent(tenantId, clientId);
      if (recent) return { snapshot: recent, proven: false };
      if (command.type === 'RegisterClient') return { snapshot: emptySnapshot(clientId), proven: false };
    }
    return { snapshot: await this.clients.load(tenantId, clientId), proven: true };
  }

  /** One attempt of the command: decide on the client, and append under its lock. */
  private async attempt(
    caller: Caller,
    clientId: string,
    command: ExecuteClientCommand['command'],
    ifMatch: number | null,
    start: Start,
  ): Promise<ClientSnapshot> {
    const { tenantId } = caller;
    const { snapshot, proven } = await this.startFrom(tenantId, clientId, command, start);
    if (ifMatch !== null && snapshot.client && snapshot.version !== ifMatch) {
      throw new ClientError(
        'version_conflict',
        `the client is at version ${snapshot.version}, not ${ifMatch}`,
      );
    }
    let events: ClientEvent[];
    try {
      events = decide(command, snapshot.client);
    } catch (error) {
      // A refusal, or a command that changes nothing, is only answered on the client as stored.
      if (proven) throw error;
      return this.attempt(caller, clientId, command, ifMatch, 'stored');
    }
    if (events.length === 0)
      return proven ? snapshot : this.attempt(caller, clientId, command, ifMatch, 'stored');
    // The client's lock, held until the events are stored: a merge under way refuses the write,
    // and no merge plans on this client while the write is in flight. A client not stored yet
    // needs none: no merge can hold it, and if it is stored meanwhile, the append is refused.
    const lock = snapshot.version === 0 ? null : await this.locks.lockForWrite(tenantId, clientId);
    const before = heldCode(snapshot.client);
    const after = heldCode(events.reduce(evolve, snapshot.client));
    const claims = after !== null && after !== before;
    try {
      const claimed = claims && (await this.reservations.reserve(tenantId, after, clientId));
      try {
        await this.faults.beforeAppend(clientId);
        const written = await this.clients.write(tenantId, snapshot, events, {
          actor: caller.actor,
          correlationId: caller.correlationId,
          causationId: null,
        });
        if (before !== null && before !== after)
          await this.reservations.release(tenantId, before, clientId).catch(() => undefined);
        return written;
      } catch (error) {
        // Only a reservation this attempt made is given back: one the client held already (its
        // stored state claims the code) stays.
        if (claimed) await this.reservations.release(tenantId, after, clientId).catch(() => undefined);
        throw error;
      }
    } finally {
      await lock?.release().catch(() => undefined);
    }
  }
}
