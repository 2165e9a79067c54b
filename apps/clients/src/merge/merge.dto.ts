import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class MergeClientsDto {
  @IsString()
  @MaxLength(64)
  @ApiProperty({ description: 'the client that survives and keeps its values' })
  keepId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: 1000,
    description: 'merged away, in this order of precedence for filling empty fields',
  })
  mergeIds!: string[];

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @ApiPropertyOptional({ maxLength: 1000 })
  reason?: string;
}

export class ListMergesQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @ApiPropertyOptional({ description: 'merges that kept or merged away this client' })
  clientId?: string;

  @IsOptional()
  @IsISO8601()
  @ApiPropertyOptional({ description: 'merges at or after this time (ISO 8601)' })
  from?: string;

  @IsOptional()
  @IsISO8601()
  @ApiPropertyOptional({ description: 'merges before this time (ISO 8601)' })
  to?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  cursor?: string;
}
