import 'reflect-metadata';
import { bootstrapService, feedGroupId } from '@clientbook/platform';
import { ClientsModule } from './app.module';
import { config } from './service-config';

bootstrapService(ClientsModule.forConfig(config), config, {
  // Each instance follows the whole topic (its search index needs every event).
  kafkaConsumer: { groupId: feedGroupId(config) },
  openApi: true,
}).catch((error: unknown) => {
  console.error('clients failed to start:', error);
  process.exit(1);
});
