import 'reflect-metadata';
import { bootstrapService, feedGroupId } from '@clientbook/platform';
import { ImportMatchingModule } from './app.module';
import { clientsUrl, config } from './service-config';

bootstrapService(ImportMatchingModule.forConfig(config, clientsUrl), config, {
  // Each instance follows the whole clients topic (its matching index needs every event).
  kafkaConsumer: { groupId: feedGroupId(config) },
  openApi: true,
}).catch((error: unknown) => {
  console.error('import-matching failed to start:', error);
  process.exit(1);
});
