import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { PageQueryDto } from '@clientbook/platform';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^\d{1,12}(\.\d{1,12})?$/;

/** A calendar day, `YYYY-MM-DD` (2026-02-30 is not one). */
function IsDay(options?: ValidationOptions): PropertyDecorator {
  return (target, key) => {
    Matches(DAY, { message: `${String(key)} must be a day, YYYY-MM-DD`, ...options })(target, key);
    IsISO8601({ strict: true }, { message: `${String(key)} must be a real calendar day`, ...options })(
      target,
      key,
    );
  };
}

/** A JSON number or a decimal string ("12.50"): quantities and prices, never read as floats. */
function IsDecimal(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDecimal',
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'number' && Number.isFinite(value) && value >= 0) ||
          (typeof value === 'string' && DECIMAL.test(value)),
        defaultMessage: (args) => `${args?.property} must be a number or a decimal string such as "12.50"`,
      },
    },
    options,
  );
}

const DECIMAL_SCHEMA = {
  oneOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', pattern: DECIMAL.source },
  ],
};

export class InvoiceLineDto {
  @IsString()
  @MinLength(1)
  @MaxLength(1_000)
  @ApiProperty({ minLength: 1, maxLength: 1_000, example: 'Buhalterinės apskaitos paslaugos, 2026 m. kovas' })
  description!: string;

  @IsDecimal()
  @ApiProperty({ ...DECIMAL_SCHEMA, description: 'above 0, at most 4 decimals', example: '1' })
  quantity!: number | string;

  @IsString()
  @MinLength(1)
  @MaxLength(20)
  @ApiProperty({ minLength: 1, maxLength: 20, example: 'vnt.' })
  unit!: string;

  @IsDecimal()
  @ApiProperty({ ...DECIMAL_SCHEMA, description: 'without VAT, at most 4 decimals', example: '100.00' })
  unitPrice!: number | string;

  @IsOptional()
  @IsDecimal()
  @ApiPropertyOptional({ ...DECIMAL_SCHEMA, description: '0–100, at most 2 decimals (default 0)' })
  discountPercent?: number | string;

  @IsInt()
  @Min(0)
  @Max(100)
  @ApiProperty({
    minimum: 0,
    maximum: 100,
    description:
      'a Lithuanian rate in force on issueDate: 21, 9, 5, 0 until 2025-12-31; 21, 12, 5, 0 from 2026-01-01',
    example: 21,
  })
  vatRate!: number;
}

export class InvoiceDto {
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,20}$/)
  @ApiProperty({ pattern: '^[A-Za-z0-9-]{1,20}$', example: 'AB' })
  series!: string;

  @IsString()
  @Matches(/^[A-Za-z0-9/-]{1,30}$/)
  @ApiProperty({
    pattern: '^[A-Za-z0-9/-]{1,30}$',
    example: '000123',
    description: 'unique with series in the tenant',
  })
  number!: string;

  @IsDay()
  @ApiProperty({ format: 'date', example: '2026-03-02' })
  issueDate!: string;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsDay()
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true })
  supplyDate?: string | null;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsDay()
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: 'not before issueDate' })
  dueDate?: string | null;

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @ApiProperty({ maxLength: 100, description: 'the buyer: an active client of the tenant' })
  clientId!: string;

  @IsIn(['EUR'])
  @ApiProperty({ enum: ['EUR'] })
  currency!: 'EUR';

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineDto)
  @ApiProperty({ type: [InvoiceLineDto], minItems: 1, maxItems: 500 })
  lines!: InvoiceLineDto[];

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(500)
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 500,
    description: 'the legal basis of a 0 % rate (required when a line has one)',
  })
  vatExemptionNote?: string | null;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(2_000)
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2_000 })
  notes?: string | null;
}

export class CancelInvoiceDto {
  @IsString()
  @MinLength(1)
  @MaxLength(1_000)
  @ApiProperty({ minLength: 1, maxLength: 1_000, example: 'Išrašyta klaidinga suma' })
  reason!: string;
}

export class PdfQueryDto {
  @IsOptional()
  @IsIn(['lt', 'en'])
  @ApiPropertyOptional({ enum: ['lt', 'en'], default: 'lt' })
  lang?: 'lt' | 'en';
}

export class PeriodQueryDto extends PdfQueryDto {
  @IsOptional()
  @IsDay()
  @ApiPropertyOptional({ format: 'date', description: 'issued on or after this day' })
  from?: string;

  @IsOptional()
  @IsDay()
  @ApiPropertyOptional({ format: 'date', description: 'issued on or before this day' })
  to?: string;
}

export class InvoiceListQueryDto extends PageQueryDto {
  @IsOptional()
  @IsDay()
  @ApiPropertyOptional({ format: 'date', description: 'issued on or after this day' })
  from?: string;

  @IsOptional()
  @IsDay()
  @ApiPropertyOptional({ format: 'date', description: 'issued on or before this day' })
  to?: string;

  @IsOptional()
  @IsIn(['issued', 'cancelled'])
  @ApiPropertyOptional({ enum: ['issued', 'cancelled'] })
  status?: 'issued' | 'cancelled';
}
