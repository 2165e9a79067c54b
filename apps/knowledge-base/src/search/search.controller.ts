import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CallableBy } from '@clientbook/platform';
import { SearchQueryDto } from '../articles/article.dto';
import { SearchIndex } from './search-index';

@ApiTags('knowledge base')
@Controller('v1/kb/search')
export class SearchController {
  constructor(private readonly index: SearchIndex) {}

  @Get()
  @CallableBy('public')
  @ApiProblems([])
  @ApiResponse({
    status: 200,
    description: '{ items: [{ slug, title, kind, locale, score, snippet }] }, best first',
  })
  @ApiOperation({
    summary:
      'Search the published help: case, diacritics and Lithuanian endings ignored, prefixes, one typo in longer words',
  })
  search(@Query() query: SearchQueryDto) {
    return {
      items: this.index.find(query.q, {
        locale: query.locale,
        kind: query.kind,
        module: query.module,
        limit: query.limit ?? 10,
      }),
    };
  }
}
