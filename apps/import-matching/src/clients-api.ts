import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { ImportOperation } from './matching/import-line';
import { callService, SERVICE_CONFIG, ServiceConfig } from '@clientbook/platform';

/** What the clients service answers per operation: recorded, or the error of its client (checked, not trusted). */
const RECORDINGS = z.object({
  results: z.array(
    z.object({
      clientId: z.string(),
      operationId: z.string(),
      recorded: z.boolean(),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    }),
  ),
});
export type OperationRecording = z.infer<typeof RECORDINGS>['results'][number];

/** What the clients service answers per registration: created, existed, or refused and why (checked, not trusted). */
const REGISTRATIONS = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      outcome: z.enum(['created', 'existed', 'refused']),
      error: z
        .object({
          code: z.string(),
          detail: z.string(),
          errors: z.array(z.object({ field: z.string(), message: z.string() })),
        })
        .nullable(),
    }),
  ),
});
export type ClientRegistration = z.infer<typeof REGISTRATIONS>['results'][number];

export const CLIENTS_API_URL = Symbol('CLIENTS_API_URL');

export type ClientsAnswer = {
  status: number;
  body: { id?: string; code?: string; detail?: string; errors?: { field: string; message: string }[] };
};

/** The clients service's internal API, called as the import (actor `system`) on behalf of the tenant. */
@Injectable()
export class ClientsApi {
  constructor(
    @Inject(CLIENTS_API_URL) private readonly baseUrl: string,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  private async call(
    method: string,
    target: string,
    tenantId: string,
    correlationId: string,
    body: unknown,
  ): Promise<ClientsAnswer> {
    const response = await callService(
      this.config.internalSecret,
      { name: 'clients', baseUrl: this.baseUrl },
      { method, target, tenantId, actor: { kind: 'system', id: 'import-matching' }, correlationId },
      { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), timeoutMs: 30_000 },
    );
    return {
      status: response.status,
      body: JSON.parse(response.body.toString('utf8')) as ClientsAnswer['body'],
    };
  }

  /**
   * Registers many clients under the given ids, up to 500 in one call: per client, in the order
   * given, created, existed, or refused with the clients service's reason.
   */
  async registerMany(
    tenantId: string,
    clients: readonly { id: string; card: unknown }[],
    correlationId: string,
  ): Promise<ClientRegistration[]> {
    const answer = await this.call('POST', '/internal/clients/registrations', tenantId, correlationId, {
      clients,
    });
    if (answer.status !== 200)
      throw new Error(
        `the clients service refused registrations: ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    const registered = REGISTRATIONS.safeParse(answer.body);
    if (!registered.success || registered.data.results.length !== clients.length)
      throw new Error(
        'the clients service answered registrations with something else than one result per client',
      );
    return registered.data.results;
  }

  /**
   * Records operations on clients, up to 1,000 in one call: per operation, recorded or the error
   * of its client (deleted, merged, unknown). Recording one again is harmless.
   */
  async recordOperations(
    tenantId: string,
    operations: readonly (ImportOperation & { clientId: string })[],
    correlationId: string,
  ): Promise<OperationRecording[]> {
    const answer = await this.call('POST', '/internal/operations', tenantId, correlationId, { operations });
    if (answer.status !== 200)
      throw new Error(
        `the clients service refused operations: ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    const recorded = RECORDINGS.safeParse(answer.body);
    if (!recorded.success || recorded.data.results.length !== operations.length)
      throw new Error(
        'the clients service answered operations with something else than one result per operation',
      );
    return recorded.data.results;
  }
}
