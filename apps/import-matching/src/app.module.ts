import { DynamicModule, Module } from '@nestjs/common';
import { Topics } from '@clientbook/contracts';
import { projectionConsumer, ServiceConfig, ServiceCoreModule, topicName } from '@clientbook/platform';
import { MatchingClients } from './matching-model/matching-clients';
import { MatchingSettingsController, MatchingSettingsStore } from './settings/matching-settings';

@Module({})
export class ImportMatchingModule {
  static forConfig(config: ServiceConfig): DynamicModule {
    return {
      module: ImportMatchingModule,
      imports: [ServiceCoreModule.forService(config)],
      // Its own matching read model, from the clients topic.
      controllers: [
        MatchingSettingsController,
        projectionConsumer(topicName(config, Topics.clients), [MatchingClients]),
      ],
      providers: [MatchingSettingsStore, MatchingClients],
    };
  }
}
