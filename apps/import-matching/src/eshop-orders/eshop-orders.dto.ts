import { MAX_LINES } from '../parsing/too-many-lines.error';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export class OrderAddressDto {
  @IsString() @MaxLength(200) @ApiProperty() line1!: string;
  @IsString() @MaxLength(100) @ApiProperty() city!: string;
  @IsOptional() @IsString() @MaxLength(20) @ApiPropertyOptional({ nullable: true }) postalCode?: string;
  @IsString() @MaxLength(2) @ApiProperty({ description: 'ISO 3166-1 alpha-2' }) country!: string;
}

export class OrderCustomerDto {
  @IsString() @MaxLength(100) @ApiProperty() firstName!: string;
  @IsString() @MaxLength(100) @ApiProperty() lastName!: string;
  @IsString() @MaxLength(254) @ApiProperty() email!: string;
  @IsOptional() @IsString() @MaxLength(32) @ApiPropertyOptional({ nullable: true }) phone?: string;
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @ApiPropertyOptional({ nullable: true, description: 'the order is about this company, not the person' })
  company?: string;
  @IsOptional() @IsString() @MaxLength(32) @ApiPropertyOptional({ nullable: true }) companyCode?: string;
  @IsOptional() @IsString() @MaxLength(16) @ApiPropertyOptional({ nullable: true }) vatCode?: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => OrderAddressDto)
  @ApiPropertyOptional({ type: OrderAddressDto, nullable: true })
  address?: OrderAddressDto;
}

export class OrderDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @ApiProperty({ description: 'the line’s ref: an order is imported once' })
  orderId!: string;
  @IsOptional() @IsString() @MaxLength(40) @ApiPropertyOptional({ nullable: true }) date?: string;
  @IsOptional() @IsNumber() @ApiPropertyOptional({ nullable: true }) total?: number;
  @IsOptional() @IsString() @MaxLength(3) @ApiPropertyOptional({ nullable: true }) currency?: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => OrderCustomerDto)
  @ApiProperty({ type: OrderCustomerDto })
  customer!: OrderCustomerDto;
}

export class EshopOrdersImportDto {
  @IsString() @MaxLength(100) @ApiProperty({ description: 'the shop, e.g. woocommerce' }) source!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OrderDto)
  @ApiProperty({ type: [OrderDto], maxItems: MAX_LINES })
  orders!: OrderDto[];
}
