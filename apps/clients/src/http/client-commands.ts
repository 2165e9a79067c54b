import type { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import type { Caller } from '@clientbook/platform';
import { ExecuteClientCommand } from '../application/execute-client-command.handler';
import { ClientCommand, ClientError, ClientSnapshot } from '../domain';
import { toApiClient } from './api-client';
import { etagOf, parseIfMatch } from './if-match';

/** The `If-Match` header every write of a client takes, as the OpenAPI documents it. */
export const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'the client version ("3"): the write happens only on it, else 412',
};

/** Runs one command on a client, on the version `If-Match` names if it names one. */
export function runClientCommand(
  commands: CommandBus,
  caller: Caller,
  clientId: string,
  command: ClientCommand,
  ifMatch: string | undefined = undefined,
): Promise<ClientSnapshot> {
  return commands.execute(new ExecuteClientCommand(caller, clientId, command, parseIfMatch(ifMatch)));
}

/** The client as the API shows it, its version as the ETag; 404 when there is none. */
export function presentClient(snapshot: ClientSnapshot, response: Response) {
  if (!snapshot.client) throw new ClientError('not_found', 'no such client');
  response.setHeader('ETag', etagOf(snapshot.version));
  return toApiClient({ ...snapshot, client: snapshot.client });
}
