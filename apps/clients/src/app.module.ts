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
import { CodeReservations } from './application/code-reservations';
import { CommandFaults } from './application/command-faults';
import { ExecuteClientCommandHandler } from './application/execute-client-command.handler';
import { RecordClientOperationsHandler } from './application/record-operations.handler';
import { BulkUpdateController } from './http/bulk-update.controller';
import { ClientAddressesController } from './http/client-addresses.controller';
import { ClientBankAccountsController } from './http/client-bank-accounts.controller';
import { ClientsController } from './http/clients.controller';
import { OperationsController } from './http/operations.controller';
import { InternalRegistrationController } from './http/internal-registration.controller';
import { ClientCardProjection } from './infrastructure/client-card.projection';
import { CrmLabels } from './infrastructure/crm-labels';
import { ClientCards } from './infrastructure/client-cards';
import { MergeProcess } from './merge/merge-process';
import { MergeFaults } from './merge/merge-faults';
import { ClientLocks, MERGE_RECORDED } from './infrastructure/client-locks';
import { MergeRecords } from './merge/merge-records';
import { MergesController } from './merge/merges.controller';
import { ClientRepository } from './infrastructure/client-repository';
import { CLIENT_PROBLEM_CODES } from './http/client-problems';

@Module({})
export class ClientsModule {
  static forConfig(config: ServiceConfig) {
    const topic = topicName(config, Topics.clients);
    return {
      module: ClientsModule,
      imports: [
        ServiceCoreModule.forService(config, { problemCodes: CLIENT_PROBLEM_CODES }),
        CqrsModule.forRoot(),
        EventSourcingModule.forTopic(topic),
      ],
      controllers: [
        MergesController,
        ClientsController,
        ClientAddressesController,
        ClientBankAccountsController,
        BulkUpdateController,
        InternalRegistrationController,
        OperationsController,
        projectionConsumer(topic, [ClientCardProjection]),
        // The CRM's status and attributes of each client, for the list's filters.
        projectionConsumer(topicName(config, Topics.crm), [CrmLabels]),
      ],
      providers: [
        ClientCards,
        ClientRepository,
        CodeReservations,
        CommandFaults,
        ClientCardProjection,
        CrmLabels,
        ExecuteClientCommandHandler,
        RecordClientOperationsHandler,
        GetClientHandler,
        GetClientHistoryHandler,
        ListClientsHandler,
        MergeRecords,
        ClientLocks,
        {
          provide: MERGE_RECORDED,
          useFactory: (records: MergeRecords) => (mergeId: string) => records.exists(mergeId),
          inject: [MergeRecords],
        },
        MergeFaults,
        MergeProcess,
      ],
    };
  }
}
