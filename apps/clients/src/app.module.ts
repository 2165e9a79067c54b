import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Topics } from '@clientbook/contracts';
import {
  EventSourcingModule,
  projectionConsumer,
  ServiceConfig,
  ServiceCoreModule,
  topicName,
} from '@clientbook/platform';
import { GetClientHandler, GetClientHistoryHandler, ListClientsHandler } from './application/client-queries';
import { ClientRepository } from './application/client-repository';
import { CodeReservations } from './application/code-reservations';
import { CommandFaults } from './application/command-faults';
import { ExecuteClientCommandHandler } from './application/execute-client-command.handler';
import { ClientsController } from './http/clients.controller';
import { OperationsController } from './http/operations.controller';
import { InternalRegistrationController } from './http/internal-registration.controller';
import { ClientCardProjection } from './infrastructure/client-card.projection';
import { ClientCards } from './infrastructure/client-cards';
import { MergeClients } from './merge/merge-clients.handler';
import { MergeFaults } from './merge/merge-faults';
import { MergeLocks } from './merge/merge-locks';
import { MergeRecords } from './merge/merge-records';
import { MergesController } from './merge/merges.controller';

@Module({})
export class ClientsModule {
  static forConfig(config: ServiceConfig) {
    const topic = topicName(config, Topics.clients);
    return {
      module: ClientsModule,
      imports: [
        ServiceCoreModule.forService(config),
        CqrsModule.forRoot(),
        EventSourcingModule.forTopic(topic),
      ],
      controllers: [
        MergesController,
        ClientsController,
        InternalRegistrationController,
        OperationsController,
        projectionConsumer(topic, [ClientCardProjection]),
      ],
      providers: [
        ClientCards,
        ClientRepository,
        CodeReservations,
        CommandFaults,
        ClientCardProjection,
        ExecuteClientCommandHandler,
        GetClientHandler,
        GetClientHistoryHandler,
        ListClientsHandler,
        MergeRecords,
        MergeLocks,
        MergeFaults,
        MergeClients,
      ],
    };
  }
}
