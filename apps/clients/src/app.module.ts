import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Topics } from '@clientbook/contracts';
import { EventSourcingModule, ServiceConfig, ServiceCoreModule } from '@clientbook/platform';
import { GetClientHandler, GetClientHistoryHandler, ListClientsHandler } from './application/client-queries';
import { ClientRepository } from './application/client-repository';
import { CodeReservations } from './application/code-reservations';
import { ExecuteClientCommandHandler } from './application/execute-client-command.handler';
import { ClientsController } from './http/clients.controller';
import { OwnCompanyController } from './http/own-company.controller';
import { ClientCardProjection } from './infrastructure/client-card.projection';
import { ClientCards } from './infrastructure/client-cards';
import { ClientEventsConsumer } from './infrastructure/client-events.consumer';

@Module({})
export class ClientsModule {
  static forConfig(config: ServiceConfig) {
    return {
      module: ClientsModule,
      imports: [ServiceCoreModule.forService(config), CqrsModule.forRoot(), EventSourcingModule.forTopic(Topics.clients)],
      controllers: [ClientsController, OwnCompanyController, ClientEventsConsumer],
      providers: [
        ClientCards,
        ClientRepository,
        CodeReservations,
        ClientCardProjection,
        ExecuteClientCommandHandler,
        GetClientHandler,
        GetClientHistoryHandler,
        ListClientsHandler,
      ],
    };
  }
}
