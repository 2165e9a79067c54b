import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfig, ServiceCoreModule } from '@clientbook/platform';
import { MatchingSettingsController, MatchingSettingsStore } from './settings/matching-settings';

@Module({})
export class ImportMatchingModule {
  static forConfig(config: ServiceConfig): DynamicModule {
    return {
      module: ImportMatchingModule,
      imports: [ServiceCoreModule.forService(config)],
      controllers: [MatchingSettingsController],
      providers: [MatchingSettingsStore],
    };
  }
}
