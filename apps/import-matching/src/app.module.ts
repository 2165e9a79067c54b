import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfig, ServiceCoreModule } from '@clientbook/platform';

@Module({})
export class ImportMatchingModule {
  static forConfig(config: ServiceConfig): DynamicModule {
    return { module: ImportMatchingModule, imports: [ServiceCoreModule.forService(config)] };
  }
}
