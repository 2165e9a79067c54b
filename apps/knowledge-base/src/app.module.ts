import { DynamicModule, Module } from '@nestjs/common';
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
import { SearchIndex } from './search/search-index';

/** The help centre: articles, search, and the product's own help loaded from the repository. */
@Module({})
export class KnowledgeBaseModule {
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
        ContentLoader,
      ],
    };
  }
}
