import 'reflect-metadata';
import { bootstrapService } from '@clientbook/platform';
import { ImportMatchingModule } from './app.module';
import { config } from './service-config';

bootstrapService(
  ImportMatchingModule.forConfig(
    config,
    process.env.CLIENTS_URL || `http://127.0.0.1:${process.env.CLIENTS_PORT || 3101}`,
  ),
  config,
  {
    // A deployment with a topic prefix has consumer groups of its own.
    kafkaConsumer: { groupId: `${config.topicPrefix}import-matching` },
    openApi: true,
  },
).catch((error: unknown) => {
  console.error('import-matching failed to start:', error);
  process.exit(1);
});
