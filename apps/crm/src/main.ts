import 'reflect-metadata';
import { bootstrapService, feedGroupId } from '@clientbook/platform';
import { CrmModule } from './app.module';
import { clientsUrl, config } from './service-config';

bootstrapService(CrmModule.forConfig(config, clientsUrl), config, {
  // Each instance follows the whole clients and crm topics.
  kafkaConsumer: { groupId: feedGroupId(config) },
  openApi: true,
}).catch((error: unknown) => {
  console.error('crm failed to start:', error);
  process.exit(1);
});
