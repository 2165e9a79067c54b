import 'reflect-metadata';
import { bootstrapService, feedGroupId } from '@clientbook/platform';
import { KnowledgeBaseModule } from './app.module';
import { config, contentDir } from './service-config';

bootstrapService(KnowledgeBaseModule.forConfig(config, contentDir), config, {
  // Each instance follows the whole kb topic for its search index.
  kafkaConsumer: { groupId: feedGroupId(config) },
  openApi: true,
}).catch((error: unknown) => {
  console.error('knowledge-base failed to start:', error);
  process.exit(1);
});
