import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ARTICLE_KINDS, LOCALES, MODULES, SLUG } from '../domain';

export class StepMediaDto {
  @IsString()
  @MaxLength(100)
  @ApiProperty({ maxLength: 100, description: 'from POST /v1/kb/media' })
  mediaId!: string;

  @IsString()
  @MaxLength(300)
  @ApiProperty({ maxLength: 300, description: 'what the image shows, for who cannot see it' })
  alt!: string;
}

export class LessonStepDto {
  @IsString()
  @MaxLength(200)
  @ApiProperty({ maxLength: 200 })
  title!: string;

  @IsString()
  @MaxLength(5000)
  @ApiProperty({ maxLength: 5000, description: 'Markdown' })
  body!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => StepMediaDto)
  @ApiPropertyOptional({ type: StepMediaDto })
  media?: StepMediaDto;
}

/** An article as the operator writes it (API.md "Knowledge base"). */
export class ArticleDto {
  @Matches(SLUG)
  @MaxLength(100)
  @ApiProperty({ pattern: SLUG.source, maxLength: 100, description: 'unique per locale; it does not change' })
  slug!: string;

  @IsIn(ARTICLE_KINDS)
  @ApiProperty({ enum: ARTICLE_KINDS })
  kind!: (typeof ARTICLE_KINDS)[number];

  @IsIn(LOCALES)
  @ApiProperty({ enum: LOCALES })
  locale!: (typeof LOCALES)[number];

  @Matches(SLUG)
  @MaxLength(100)
  @ApiProperty({ pattern: SLUG.source, maxLength: 100, description: 'shared by an article’s translations' })
  translationKey!: string;

  @IsString()
  @MaxLength(200)
  @ApiProperty({ maxLength: 200 })
  title!: string;

  @IsString()
  @MaxLength(500)
  @ApiProperty({ maxLength: 500 })
  summary!: string;

  @IsString()
  @MaxLength(50000)
  @ApiProperty({ maxLength: 50000, description: 'Markdown' })
  body!: string;

  @IsIn(MODULES)
  @ApiProperty({ enum: MODULES })
  module!: (typeof MODULES)[number];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  tags?: string[];

  @IsOptional()
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  @ApiPropertyOptional({ description: 'where it stands in lists (default 0)' })
  order?: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => LessonStepDto)
  @ApiPropertyOptional({
    type: [LessonStepDto],
    maxItems: 30,
    description: 'a lesson’s steps (lessons only)',
  })
  steps?: LessonStepDto[];
}

/** A change of an article's working copy: any field but slug and locale. */
export class ArticlePatchDto extends PartialType(ArticleDto) {}

export class LocaleQueryDto {
  @IsOptional()
  @IsIn(LOCALES)
  @ApiPropertyOptional({ enum: LOCALES })
  locale?: (typeof LOCALES)[number];
}

export class ArticleListQueryDto extends LocaleQueryDto {
  @IsOptional()
  @IsIn(ARTICLE_KINDS)
  @ApiPropertyOptional({ enum: ARTICLE_KINDS })
  kind?: string;

  @IsOptional()
  @IsIn(MODULES)
  @ApiPropertyOptional({ enum: MODULES })
  module?: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  @ApiPropertyOptional({ maxLength: 50 })
  tag?: string;
}

export class SearchQueryDto extends ArticleListQueryDto {
  @IsString()
  @MaxLength(200)
  @ApiProperty({
    maxLength: 200,
    description: 'words; case, diacritics and Lithuanian endings do not matter',
  })
  q!: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10 })
  limit?: number;
}
