import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { raw } from 'express';
import { Topics } from '@clientbook/contracts';
import {
  EventSourcingModule,
  projectionConsumer,
  ServiceConfig,
  ServiceCoreModule,
  topicName,
} from '@clientbook/platform';
import { ArticlePages } from './articles/article-pages';
import { ArticleStreams } from './articles/article-streams';
import { ArticlesController } from './articles/articles.controller';
import { Articles } from './articles/articles.service';
import { CONTENT_DIR, ContentLoader } from './content/content-loader';
import { SearchController } from './search/search.controller';
import { Feedback } from './feedback/feedback';
import { FeedbackController } from './feedback/feedback.controller';
import { Media, MAX_MEDIA_BYTES } from './media/media';
import { MediaController } from './media/media.controller';
import { SearchIndex } from './search/search-index';

/** The help centre: articles, search, and the product's own help loaded from the repository. */
@Module({})
export class KnowledgeBaseModule implements NestModule {
  static forConfig(config: ServiceConfig, contentDir: string): DynamicModule {
    const topic = topicName(config, Topics.knowledgeBase);
    return {
      module: KnowledgeBaseModule,
      imports: [
        ServiceCoreModule.forService(config, { problemCodes: { non_unique_entry: 409 } }),
        EventSourcingModule.forTopic(topic),
      ],
      controllers: [
        ArticlesController,
        SearchController,
        FeedbackController,
        MediaController,
        // Every instance keeps its pages, votes and search index from the kb topic.
        projectionConsumer(topic, [ArticlePages, Feedback, SearchIndex]),
      ],
      providers: [
        { provide: CONTENT_DIR, useValue: contentDir },
        ArticleStreams,
        ArticlePages,
        Articles,
        SearchIndex,
        Feedback,
        Media,
        ContentLoader,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // An image arrives as its bytes, whatever the header says (its type is read from them); one
    // byte over the limit is refused as too large.
    consumer
      .apply(raw({ type: () => true, limit: MAX_MEDIA_BYTES }))
      .forRoutes({ path: 'v1/kb/media', method: RequestMethod.POST });
  }
}
