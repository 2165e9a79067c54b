import 'reflect-metadata';
import { bootstrapService } from '@clientbook/platform';
import { ClientsModule } from './app.module';
import { config } from './service-config';

bootstrapService(ClientsModule.forConfig(config), config, {
  // A deployment with a topic prefix has consumer groups of its own.
  kafkaConsumer: { groupId: `${config.topicPrefix}clients` },
  openApi: true,
}).catch((error: unknown) => {
  console.error('clients failed to start:', error);
  process.exit(1);
});
