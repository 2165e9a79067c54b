import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { raw } from 'express';
import { Topics } from '@clientbook/contracts';
import {
  BODY_LIMIT,
  EventSourcingModule,
  projectionConsumer,
  ServiceConfig,
  ServiceCoreModule,
  topicName,
} from '@clientbook/platform';
import { CLIENTS_API_URL, ClientsApi } from './clients-api';
import { ImportFaults } from './jobs/import-faults';
import { ImportJobs } from './jobs/import-jobs';
import { ImportEvents } from './jobs/import-events';
import { ImportWorker } from './jobs/import-worker';
import { LineBatches } from './jobs/line-batches';
import { ImportsController } from './jobs/imports.controller';
import { MatchingClients } from './matching/matching-clients.projection';
import { MatchingSettingsController, MatchingSettingsStore } from './settings/matching-settings';
import { IMPORT_PROBLEM_CODES } from './import-problems';

@Module({})
export class ImportMatchingModule implements NestModule {
  static forConfig(config: ServiceConfig, clientsUrl: string): DynamicModule {
    return {
      module: ImportMatchingModule,
      imports: [
        ServiceCoreModule.forService(config, { problemCodes: IMPORT_PROBLEM_CODES }),
        // What imports did, for accounting pipelines: the imports topic, through an outbox.
        EventSourcingModule.forTopic(topicName(config, Topics.imports)),
      ],
      controllers: [
        ImportsController,
        MatchingSettingsController,
        // Its own matching read model, from the clients topic.
        projectionConsumer(topicName(config, Topics.clients), [MatchingClients]),
      ],
      providers: [
        { provide: CLIENTS_API_URL, useValue: clientsUrl },
        MatchingSettingsStore,
        MatchingClients,
        ClientsApi,
        ImportJobs,
        ImportFaults,
        ImportEvents,
        LineBatches,
        ImportWorker,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Statements arrive as XML bytes, up to the API's body limit; their own declaration says how to decode them.
    consumer
      .apply(raw({ type: ['application/xml', 'text/xml'], limit: BODY_LIMIT }))
      .forRoutes('v1/imports/bank-statements');
    // Client files as bytes: the charset is decoded by the parser, an .xlsx is a zip.
    consumer
      .apply(
        raw({
          type: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
          limit: BODY_LIMIT,
        }),
      )
      .forRoutes('v1/imports/clients');
  }
}
