import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { RegisterClient } from '../domain';
import {
  CLIENT_KINDS,
  CLIENT_ROLES,
  ClientKind,
  ClientRole,
  RESIDENCIES,
  Residency,
} from '@clientbook/contracts';

// Shapes and types only: the domain checks codes, IBANs, countries and which fields a kind needs.
const Text = (maxLength: number, description?: string) =>
  applyDecorators(
    IsOptional(),
    IsString(),
    MaxLength(maxLength),
    ApiPropertyOptional({ type: String, nullable: true, maxLength, ...(description ? { description } : {}) }),
  );
// `null` passes these as it does `Text` (a merge patch's "clear"; elsewhere "not given"): said so.
const Flag = (description: string) =>
  applyDecorators(
    IsOptional(),
    IsBoolean(),
    ApiPropertyOptional({ type: Boolean, nullable: true, description }),
  );
const OneOf = (values: readonly string[], description?: string) =>
  applyDecorators(
    IsOptional(),
    IsIn(values),
    ApiPropertyOptional({ enum: values, nullable: true, ...(description ? { description } : {}) }),
  );
const Roles = () =>
  applyDecorators(
    IsOptional(),
    IsArray(),
    ArrayMaxSize(CLIENT_ROLES.length),
    IsIn(CLIENT_ROLES, { each: true }),
    ApiPropertyOptional({ enum: CLIENT_ROLES, isArray: true, nullable: true }),
  );

export class AddressDto {
  @Text(200) line1?: string | null;
  @Text(200) line2?: string | null;
  @Text(100) city?: string | null;
  @Text(20) postalCode?: string | null;
  @Text(2, 'ISO 3166-1 alpha-2') country?: string | null;
  @Text(200) branchName?: string | null;
  @Flag('the registration address; setting it clears it on the others') registration?: boolean | null;
  @Flag('the correspondence address; setting it clears it on the others') correspondence?: boolean | null;
}

export class BankAccountDto {
  @Text(42, 'spaces and case are ignored; checked by country length and mod 97') iban?: string | null;
  @Text(200) bankName?: string | null;
  @Text(11) bic?: string | null;
  @Text(3, 'ISO 4217, default EUR') currency?: string | null;
  @Flag('the main account; setting it clears it on the others') main?: boolean | null;
  @Flag('printed on invoices (default true)') showOnInvoice?: boolean | null;
}

export class ClientDetailsDto {
  @Text(200, 'required for a company; derived "First Last" for a person') name?: string | null;
  @Text(100, 'required for a person') firstName?: string | null;
  @Text(100, 'required for a person') lastName?: string | null;
  @Text(
    32,
    'resident company: 9 digits; resident person: personal code; else free text; unique among active clients',
  )
  code?: string | null;
  @Text(16, 'LT + 9 or 12 digits with check digit; other countries: prefix + 2–13 letters/digits') vatCode?:
    string | null;
  @Roles() roles?: ClientRole[] | null;
  @OneOf(RESIDENCIES, 'default resident') residency?: Residency | null;
  @Text(254) email?: string | null;
  @Text(32) phone?: string | null;
  @Text(200) website?: string | null;
  @Text(4000) notes?: string | null;
}

export class CreateClientDto extends ClientDetailsDto {
  @IsIn(CLIENT_KINDS)
  @ApiProperty({ enum: CLIENT_KINDS })
  kind!: ClientKind;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AddressDto)
  @ApiPropertyOptional({ type: [AddressDto], nullable: true, description: 'null: none' })
  addresses?: AddressDto[] | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BankAccountDto)
  @ApiPropertyOptional({ type: [BankAccountDto], nullable: true, description: 'null: none' })
  bankAccounts?: BankAccountDto[] | null;
}

/** JSON merge patch of the general fields: a field left out stays, `null` clears it. */
export class UpdateClientDto extends ClientDetailsDto {
  @OneOf(CLIENT_KINDS) kind?: ClientKind;
}

export class BulkUpdateSetDto {
  @OneOf(RESIDENCIES) residency?: Residency;
  @Roles() addRoles?: ClientRole[];
  @Roles() removeRoles?: ClientRole[];
}

export class BulkUpdateDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  @ApiProperty({ type: [String], minItems: 1, maxItems: 1000 })
  ids!: string[];

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => BulkUpdateSetDto)
  @ApiProperty({ type: BulkUpdateSetDto })
  set!: BulkUpdateSetDto;
}

export const CLIENT_SORTS = ['name', '-name', 'createdAt', '-createdAt'] as const;

/** `?limit=` (default 50, at most 500) and `?cursor=` of every list (API.md "Conventions"). */
export class PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  limit?: number;

  @Text(500, 'nextCursor of the previous page') cursor?: string;
}

export class ListClientsQueryDto extends PageQueryDto {
  @Text(200, 'name fragment (case and diacritics ignored), or the start of code or VAT code') q?: string;
  @Text(32) code?: string;
  @Text(16) vatCode?: string;
  @OneOf(CLIENT_KINDS) kind?: ClientKind;
  @OneOf(CLIENT_ROLES) role?: ClientRole;
  @OneOf(RESIDENCIES) residency?: Residency;
  @Text(2) country?: string;
  @Text(100) city?: string;
  @Text(254) email?: string;
  @Text(42) iban?: string;
  @OneOf(['active', 'merged', 'deleted'], 'default active') status?: 'active' | 'merged' | 'deleted';
  @OneOf(CLIENT_SORTS, 'default name') sort?: (typeof CLIENT_SORTS)[number];
  @Text(100, 'the CRM status the client holds (GET /v1/crm/statuses)') crmStatus?: string;

  @IsOptional()
  // `?attribute=a` is one value, `?attribute=a&attribute=b` a list: both are a list here.
  @Transform(({ value }) => (Array.isArray(value) ? value : [value]))
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @ApiPropertyOptional({
    type: [String],
    maxItems: 20,
    description: 'a CRM attribute the client holds; repeat it for several (all must hold)',
  })
  attribute?: string[];
}

export class DeleteClientQueryDto {
  @Text(500) reason?: string;
}

/** The RegisterClient command a create body asks for; new addresses and accounts get their ids here. */
export function registerCommand(
  body: CreateClientDto,
  isOwnCompany: boolean,
  newId: () => string,
): RegisterClient {
  const { kind, addresses, bankAccounts, ...details } = body;
  return {
    type: 'RegisterClient',
    data: {
      details: { ...details, kind },
      // null, as the schema allows, is none at all.
      addresses: (addresses ?? []).map((a) => ({ ...a, id: newId() })),
      bankAccounts: (bankAccounts ?? []).map((b) => ({ ...b, id: newId() })),
      isOwnCompany,
    },
  };
}
