import { Body, Controller, HttpCode, Inject, OnApplicationBootstrap, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { IsObject } from 'class-validator';
import type { Collection, Db } from 'mongodb';
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

type TenantDocument = { _id: string; tenantId: string; companyId: string; createdAt: Date };

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
  @ApiOperation({ summary: 'Create a tenant (operator key): its own company becomes its first client' })
  @ApiResponse({ status: 201, description: '{ tenantId, adminKey, companyId }; the admin key is shown once' })
  async create(@Body() body: CreateTenantDto, @Req() request: Request) {
    const tenantId = randomUUID();
    // The own company first: if the clients service refuses it, nothing of the tenant exists.
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
      );
    }
    await this.tenants.insertOne({ _id: tenantId, tenantId, companyId: result.id, createdAt: new Date() });
    const admin = await this.keys.issue(tenantId, 'admin', 'first admin key');
    return { tenantId, adminKey: admin.key, companyId: result.id };
  }
}
