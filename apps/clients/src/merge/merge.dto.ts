import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { PageQueryDto } from '../http/client.dto';

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
  @ApiPropertyOptional({ type: String, maxLength: 1000, nullable: true })
  reason?: string | null;
}

export class ListMergesQueryDto extends PageQueryDto {
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
}
