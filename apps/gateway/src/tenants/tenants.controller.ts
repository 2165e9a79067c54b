import {
  Body,
  Controller,
  Headers,
  HttpCode,
  Inject,
  OnApplicationBootstrap,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { v5 as nameBasedUuid } from 'uuid';
import { IsObject } from 'class-validator';
import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from '@clientbook/event-store';
import { ApiError, ApiProblems, MONGO_DB } from '@clientbook/platform';
import { ApiKeys } from '../api-keys/api-keys.repository';
import { Access } from '../auth/access';
import { principalOf } from '../auth/principal';
import { ServiceClient } from '../proxy/service-client';

export class CreateTenantDto {
  @IsObject()
  @ApiProperty({
    description: 'the client fields of the tenant’s own company (kind company), as in POST /v1/clients',
  })
  company!: Record<string, unknown>;
}

type TenantDocument = {
  _id: string;
  tenantId: string;
  companyId: string;
  createdAt: Date;
  /** SHA-256 of the request body, so a retry with the same Idempotency-Key is known for the same request. */
  requestDigest?: string;
};

/** The namespace of tenant ids that follow from an Idempotency-Key (a fixed random UUID). */
const IDEMPOTENT_TENANT = '7c1e4b8a-5d2f-4e61-9a3b-0f6d2c8e1b47';
/** How long a retry with the same Idempotency-Key answers the tenant it made. */
const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const FIRST_ADMIN_KEY = 'first admin key';

const badKey = (message: string) =>
  new ApiError('validation_failed', message, [{ field: 'Idempotency-Key', message }]);

type ProblemBody = { code?: string; detail?: string; errors?: { field: string; message: string }[] };

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('v1/tenants')
export class TenantsController implements OnApplicationBootstrap {
  private readonly tenants: Collection<TenantDocument>;

  constructor(
    @Inject(MONGO_DB) db: Db,
    private readonly keys: ApiKeys,
    private readonly services: ServiceClient,
  ) {
    this.tenants = db.collection<TenantDocument>('tenants');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.tenants.createIndex({ tenantId: 1 });
  }

  @Post()
  @HttpCode(201)
  @Access('operator')
  @ApiProblems([413])
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
    description:
      'makes a retry safe: the same key with the same body within 24 h makes no second tenant; it answers ' +
      'the tenant made the first time, with a new admin key (the one issued before is revoked, keys being ' +
      'stored only hashed) and `Idempotent-Replayed: true`. The same key with another body is 400.',
  })
  @ApiOperation({ summary: 'Create a tenant (operator key): its own company becomes its first client' })
  @ApiResponse({ status: 201, description: '{ tenantId, adminKey, companyId }; the admin key is shown once' })
  async create(
    @Body() body: CreateTenantDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey))
      throw badKey('must be 1 to 255 visible ASCII characters');
    const requestDigest = createHash('sha256').update(JSON.stringify(body.company)).digest('hex');
    const tenantId = idempotencyKey ? nameBasedUuid(idempotencyKey, IDEMPOTENT_TENANT) : randomUUID();
    if (idempotencyKey) {
      const made = await this.tenants.findOne({ _id: tenantId });
      if (made) return this.replay(made, requestDigest, response);
    }
    const companyId = await this.createOwnCompany(tenantId, body, request);
    try {
      await this.tenants.insertOne({
        _id: tenantId,
        tenantId,
        companyId,
        createdAt: new Date(),
        requestDigest,
      });
    } catch (error) {
      // The same Idempotency-Key at the same moment: the other request made the tenant.
      if (!isDuplicateKeyError(error)) throw error;
      const made = await this.tenants.findOne({ _id: tenantId });
      if (made) return this.replay(made, requestDigest, response);
      throw error;
    }
    const admin = await this.keys.issue(tenantId, 'admin', FIRST_ADMIN_KEY);
    return { tenantId, adminKey: admin.key, companyId };
  }

  /** A retry of a request that made the tenant: the same tenant, with a new first admin key. */
  private async replay(made: TenantDocument, requestDigest: string, response: Response) {
    if (made.requestDigest !== requestDigest)
      throw badKey('this Idempotency-Key was used for another request; use a new key for a new tenant');
    if (Date.now() - made.createdAt.getTime() > REPLAY_WINDOW_MS)
      throw badKey(
        'this Idempotency-Key made a tenant more than 24 hours ago; use a new key for a new tenant',
      );
    await this.keys.revokeNamed(made.tenantId, FIRST_ADMIN_KEY);
    const admin = await this.keys.issue(made.tenantId, 'admin', FIRST_ADMIN_KEY);
    response.setHeader('Idempotent-Replayed', 'true');
    return { tenantId: made.tenantId, adminKey: admin.key, companyId: made.companyId };
  }

  /** The own company first: if the clients service refuses it, nothing of the tenant exists. */
  private async createOwnCompany(tenantId: string, body: CreateTenantDto, request: Request): Promise<string> {
    const answer = await this.services.call('clients', {
      method: 'POST',
      target: '/internal/own-company',
      tenantId,
      principal: principalOf(request),
      correlationId: String(request.id),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'company', ...body.company }),
    });
    const result = JSON.parse(answer.body.toString('utf8') || '{}') as ProblemBody & { id?: string };
    if (answer.status >= 400 || !result.id) {
      const errors = (result.errors ?? []).map((e) => ({ ...e, field: `company.${e.field}` }));
      throw new ApiError(
        result.code ?? 'internal',
        result.detail ?? 'the own company could not be created',
        errors,
        answer.status >= 400 ? answer.status : 500,
      );
    }
    return result.id;
  }
}
