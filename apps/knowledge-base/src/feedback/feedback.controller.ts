import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ApiProblems, CallableBy, Caller, CurrentCaller } from '@clientbook/platform';
import { LOCALES, SLUG } from '../domain';
import { Articles } from '../articles/articles.service';
import { LocaleQueryDto } from '../articles/article.dto';
import { Feedback } from './feedback';

export class FeedbackDto {
  @IsBoolean()
  @ApiProperty({ description: 'whether the article helped' })
  helpful!: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @ApiPropertyOptional({ maxLength: 2000, description: 'what was missing, for the help centre’s writers' })
  comment?: string;
}

export class FeedbackQueryDto {
  @Matches(SLUG)
  @MaxLength(100)
  @ApiProperty({ pattern: SLUG.source, maxLength: 100 })
  slug!: string;

  @IsOptional()
  @IsIn(LOCALES)
  @ApiPropertyOptional({ enum: LOCALES })
  locale?: (typeof LOCALES)[number];
}

@ApiTags('knowledge base')
@ApiBearerAuth()
@Controller('v1/kb')
export class FeedbackController {
  constructor(
    private readonly feedback: Feedback,
    private readonly articles: Articles,
  ) {}

  @Post('articles/:slug/feedback')
  @HttpCode(204)
  @CallableBy('key')
  @ApiProblems([404, 413])
  @ApiResponse({ status: 204, description: 'counted; a key’s second vote replaces its first' })
  @ApiOperation({ summary: 'Say whether an article helped (any tenant key)' })
  async give(
    @CurrentCaller() caller: Caller,
    @Param('slug') slug: string,
    @Query() query: LocaleQueryDto,
    @Body() body: FeedbackDto,
  ): Promise<void> {
    const article = await this.articles.read(caller, slug, query.locale);
    await this.feedback.give(caller, article, body);
  }

  @Get('feedback')
  @CallableBy('operator')
  @ApiProblems([], { 403: 'forbidden: only the operator reads the comments' })
  @ApiResponse({
    status: 200,
    description: '{ items: [{ slug, locale, helpful, comment, tenantId, at }] }, newest first',
  })
  @ApiOperation({ summary: 'The comments left on an article (operator)' })
  comments(@Query() query: FeedbackQueryDto) {
    return this.feedback.comments(query.slug, query.locale);
  }
}
