import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/**
 * A page of a list (API.md "Conventions"): after the page before's cursor (an opaque base64url
 * token), up to `limit` items (default 50, at most 500).
 */
export class PageQueryDto {
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/)
  @ApiPropertyOptional({
    description: 'the `nextCursor` of the page before',
    pattern: '^[A-Za-z0-9_-]{1,400}$',
  })
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  limit?: number;
}
