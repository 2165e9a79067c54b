import 'reflect-metadata';
import { bootstrapService, feedGroupId } from '@clientbook/platform';
import { InvoicesModule } from './app.module';
import { clientsUrl, config } from './service-config';

bootstrapService(InvoicesModule.forConfig(config, clientsUrl), config, {
  // Each instance follows the whole clients and invoices topics.
  kafkaConsumer: { groupId: feedGroupId(config) },
  openApi: true,
}).catch((error: unknown) => {
  console.error('invoices failed to start:', error);
  process.exit(1);
});
