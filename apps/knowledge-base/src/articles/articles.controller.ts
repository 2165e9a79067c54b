import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CallableBy, Caller, CurrentCaller, etagOf, parseIfMatch } from '@clientbook/platform';
import { ArticleDto, ArticleListQueryDto, ArticlePatchDto, LocaleQueryDto } from './article.dto';
import type { ArticleCommand } from '../domain';
import { Articles, ArticleView } from './articles.service';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'the article’s version ("3"): the change happens only on it, else 412',
};
const OPERATOR_ONLY = { 403: 'forbidden: only the operator key writes the help centre' };

/** A change of an article by the operator, at the version If-Match names. */
const OperatorChange = (problems: number[]) =>
  applyDecorators(
    CallableBy('operator'),
    ApiBearerAuth(),
    ApiHeader(IF_MATCH),
    ApiProblems(problems, OPERATOR_ONLY),
  );

/** The help centre's articles: anyone reads what is published; the operator writes. */
@ApiTags('knowledge base')
@Controller('v1/kb/articles')
export class ArticlesController {
  constructor(private readonly articles: Articles) {}

  @Get()
  @CallableBy('public')
  @ApiProblems([])
  @ApiResponse({ status: 200, description: '{ items: [article] }: published articles, by order' })
  @ApiOperation({ summary: 'Published articles (no key needed)' })
  async list(@Query() query: ArticleListQueryDto) {
    return { items: await this.articles.list(query) };
  }

  @Get(':slug')
  @CallableBy('public')
  @ApiProblems([404])
  @ApiResponse({ status: 200, description: 'the article; the operator key sees drafts and working copies' })
  @ApiOperation({ summary: 'One article, in the locale asked when it has a translation there' })
  async read(
    @CurrentCaller() caller: Caller,
    @Param('slug') slug: string,
    @Query() query: LocaleQueryDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withEtag(response, await this.articles.read(caller, slug, query.locale));
  }

  @Get(':slug/history')
  @CallableBy('public')
  @ApiProblems([404])
  @ApiResponse({ status: 200, description: '{ items: [{ version, publishedAt, …content }] }, oldest first' })
  @ApiOperation({ summary: 'Every published version of an article' })
  history(@CurrentCaller() caller: Caller, @Param('slug') slug: string, @Query() query: LocaleQueryDto) {
    return this.articles.history(caller, slug, query.locale);
  }

  @Post()
  @HttpCode(201)
  @CallableBy('operator')
  @ApiBearerAuth()
  @ApiProblems([409, 413], OPERATOR_ONLY)
  @ApiResponse({ status: 201, description: 'the new article, a draft (not listed or found until published)' })
  @ApiOperation({ summary: 'Write an article (operator)' })
  async create(
    @CurrentCaller() caller: Caller,
    @Body() body: ArticleDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    // Fields not given take their defaults (a DTO holds them as undefined, which must not win).
    const { tags, order, steps, ...rest } = body;
    const content = { ...rest, tags: tags ?? [], order: order ?? 0, ...(steps ? { steps } : {}) };
    return withEtag(response, await this.articles.create(caller, content));
  }

  @Patch(':slug')
  @OperatorChange([404, 412, 413])
  @ApiResponse({ status: 200, description: 'the working copy after the change (live once published again)' })
  @ApiOperation({ summary: 'Change an article’s working copy (operator)' })
  async edit(
    @CurrentCaller() caller: Caller,
    @Param('slug') slug: string,
    @Query() query: LocaleQueryDto,
    @Body() body: ArticlePatchDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const changes = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
    return this.changed(caller, { slug, ...query }, ifMatch, response, {
      type: 'EditArticle',
      data: { changes },
    });
  }

  @Post(':slug/publish')
  @HttpCode(200)
  @OperatorChange([404, 412])
  @ApiResponse({
    status: 200,
    description: 'the article, published: its working copy is what everyone reads',
  })
  @ApiOperation({ summary: 'Publish an article (operator)' })
  publish(
    @CurrentCaller() caller: Caller,
    @Param('slug') slug: string,
    @Query() query: LocaleQueryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.changed(caller, { slug, ...query }, ifMatch, response, { type: 'PublishArticle' });
  }

  @Post(':slug/unpublish')
  @HttpCode(200)
  @OperatorChange([404, 412])
  @ApiResponse({ status: 200, description: 'the article, a draft again (its working copy stays)' })
  @ApiOperation({ summary: 'Take an article out of the help centre (operator)' })
  unpublish(
    @CurrentCaller() caller: Caller,
    @Param('slug') slug: string,
    @Query() query: LocaleQueryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.changed(caller, { slug, ...query }, ifMatch, response, { type: 'UnpublishArticle' });
  }

  /** An article after a change at the version If-Match names, with its ETag. */
  private async changed(
    caller: Caller,
    article: { slug: string; locale?: string },
    ifMatch: string | undefined,
    response: Response,
    command: ArticleCommand,
  ): Promise<ArticleView> {
    const version = parseIfMatch(ifMatch, 'an article version');
    return withEtag(
      response,
      await this.articles.update(caller, article.locale ?? 'lt', article.slug, command, version),
    );
  }

  @Delete(':slug')
  @HttpCode(204)
  @OperatorChange([404, 412])
  @ApiResponse({ status: 204, description: 'deleted' })
  @ApiOperation({ summary: 'Delete an article (operator)' })
  async delete(
    @CurrentCaller() caller: Caller,
    @Param('slug') slug: string,
    @Query() query: LocaleQueryDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.articles.delete(
      caller,
      query.locale ?? 'lt',
      slug,
      parseIfMatch(ifMatch, 'an article version'),
    );
  }
}

function withEtag(response: Response, view: ArticleView): ArticleView {
  response.setHeader('ETag', etagOf(view.version));
  return view;
}
