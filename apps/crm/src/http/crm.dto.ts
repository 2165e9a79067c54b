import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';

const COLOR = /^#[0-9a-fA-F]{6}$/;

export class StatusDto {
  @IsString()
  @MaxLength(100)
  @ApiProperty({ description: 'the status’s name (unique in the tenant, case ignored)', maxLength: 100 })
  name!: string;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(COLOR)
  @ApiPropertyOptional({ type: String, nullable: true, pattern: COLOR.source, example: '#1f8a70' })
  color?: string | null;

  @IsOptional()
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  @ApiPropertyOptional({ description: 'where it stands in the list (default: last)' })
  order?: number;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ description: 'a closed status ends the relationship (default false)' })
  closed?: boolean;
}

export class StatusPatchDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({ maxLength: 100 })
  name?: string;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(COLOR)
  @ApiPropertyOptional({ type: String, nullable: true, pattern: COLOR.source })
  color?: string | null;

  @IsOptional()
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  @ApiPropertyOptional()
  order?: number;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional()
  closed?: boolean;
}

export class AttributeDto {
  @IsString()
  @MaxLength(100)
  @ApiProperty({ description: 'the attribute’s name (unique in the tenant, case ignored)', maxLength: 100 })
  name!: string;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(COLOR)
  @ApiPropertyOptional({ type: String, nullable: true, pattern: COLOR.source })
  color?: string | null;
}

export class AttributePatchDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({ maxLength: 100 })
  name?: string;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(COLOR)
  @ApiPropertyOptional({ type: String, nullable: true, pattern: COLOR.source })
  color?: string | null;
}

export class CallOutcomeDto {
  @IsString()
  @MaxLength(100)
  @ApiProperty({ maxLength: 100 })
  name!: string;
}

export class SetStatusDto {
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(100)
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'one of the tenant’s statuses, or null to clear it',
  })
  statusId!: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @ApiPropertyOptional({ maxLength: 1000, description: 'why (shown in the timeline)' })
  comment?: string;
}

export class TimelineQueryDto {
  @IsOptional()
  @IsString()
  @Matches(/^(status|attribute)$/)
  @ApiPropertyOptional({ enum: ['status', 'attribute'], description: 'only entries of this kind' })
  type?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  @ApiPropertyOptional({ format: 'date-time', description: 'entries at or after this moment' })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  @ApiPropertyOptional({ format: 'date-time', description: 'entries before this moment' })
  to?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[1-9][0-9]{0,8}$/)
  @ApiPropertyOptional({ description: 'the `nextCursor` of the page before' })
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  limit?: number;
}
