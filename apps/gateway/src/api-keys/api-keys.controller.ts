import { Body, Controller, Delete, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Request } from 'express';
import { ApiError, ApiProblems } from '@clientbook/platform';
import { Access } from '../auth/access';
import { principalOf, Role } from '../auth/principal';
import { ApiKeys } from './api-keys.repository';

const ROLES: readonly Role[] = ['admin', 'user', 'auditor'];

export class CreateApiKeyDto {
  @IsIn(ROLES)
  @ApiProperty({ enum: ROLES })
  role!: Role;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({ type: String, maxLength: 100, nullable: true })
  name?: string | null;
}

function tenantOf(request: Request): string {
  const principal = principalOf(request);
  if (principal.kind !== 'api_key') throw new ApiError('forbidden', 'API keys belong to a tenant');
  return principal.tenantId;
}

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeys) {}

  @Post()
  @HttpCode(201)
  @Access('admin')
  @ApiProblems([413])
  @ApiOperation({ summary: 'Issue an API key (admin); the key is shown once and stored hashed' })
  @ApiResponse({ status: 201, description: '{ id, key, role }' })
  async create(@Body() body: CreateApiKeyDto, @Req() request: Request) {
    const issued = await this.keys.issue(tenantOf(request), body.role, body.name ?? null);
    return { id: issued.id, key: issued.key, role: issued.role, name: issued.name };
  }

  @Delete(':id')
  @ApiResponse({ status: 204, description: 'revoked at once' })
  @HttpCode(204)
  @Access('admin')
  @ApiProblems([404])
  @ApiOperation({ summary: 'Revoke an API key (admin)' })
  async revoke(@Param('id') id: string, @Req() request: Request): Promise<void> {
    if (!(await this.keys.revoke(tenantOf(request), id))) throw new ApiError('not_found', 'no such API key');
  }
}
