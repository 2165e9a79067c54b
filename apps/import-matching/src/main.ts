import 'reflect-metadata';
import { bootstrapService } from '@clientbook/platform';
import { ImportMatchingModule } from './app.module';
import { config } from './service-config';

bootstrapService(ImportMatchingModule.forConfig(config), config, {
  kafkaConsumer: { groupId: 'import-matching' },
  openApi: true,
}).catch((error: unknown) => {
  console.error('import-matching failed to start:', error);
  process.exit(1);
});
