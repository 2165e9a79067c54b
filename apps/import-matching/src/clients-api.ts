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

/** The clients service's internal API, called as the import (actor `system`) on behalf of the tenant. */
@Injectable()
export class ClientsApi {
  constructor(
    @Inject(CLIENTS_API_URL) private readonly baseUrl: string,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /**
   * Posts a batch and reads the answer's `results`, one per item asked and checked against
   * `schema`; any other answer throws (the caller's round is tried again later).
   */
  private async postBatch<TResult>(
    target: string,
    tenantId: string,
    correlationId: string,
    body: unknown,
    count: number,
    schema: z.ZodType<{ results: TResult[] }>,
  ): Promise<TResult[]> {
    const response = await callService(
      this.config.internalSecret,
      { name: 'clients', baseUrl: this.baseUrl },
      { method: 'POST', target, tenantId, actor: { kind: 'system', id: 'import-matching' }, correlationId },
      { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), timeoutMs: 30_000 },
    );
    const text = response.body.toString('utf8');
    if (response.status !== 200)
      throw new Error(`the clients service refused ${target}: ${response.status} ${text.slice(0, 500)}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    const answer = schema.safeParse(parsed);
    if (!answer.success || answer.data.results.length !== count)
      throw new Error(`the clients service answered ${target} with something else than one result per item`);
    return answer.data.results;
  }

  /**
   * Registers many clients under the given ids, up to 500 in one call: per client, in the order
   * given, created, existed, or refused with the clients service's reason.
   */
  registerMany(
    tenantId: string,
    clients: readonly { id: string; card: unknown }[],
    correlationId: string,
  ): Promise<ClientRegistration[]> {
    return this.postBatch(
      '/internal/clients/registrations',
      tenantId,
      correlationId,
      { clients },
      clients.length,
      REGISTRATIONS,
    );
  }

  /**
   * Records operations on clients, up to 1,000 in one call: per operation, recorded or the error
   * of its client (deleted, merged, unknown). Recording one again is harmless.
   */
  recordOperations(
    tenantId: string,
    operations: readonly (ImportOperation & { clientId: string })[],
    correlationId: string,
  ): Promise<OperationRecording[]> {
    return this.postBatch(
      '/internal/operations',
      tenantId,
      correlationId,
      { operations },
      operations.length,
      RECORDINGS,
    );
  }
}
