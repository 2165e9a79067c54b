import { Module } from '@nestjs/common';
import { ServiceCoreModule } from '@clientbook/platform';
import { config } from './service-config';

@Module({
  imports: [ServiceCoreModule.forService(config)],
})
export class ImportMatchingModule {}
