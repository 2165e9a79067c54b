import { DynamicModule, Module } from '@nestjs/common';
import { Topics } from '@clientbook/contracts';
import {
  EventSourcingModule,
  projectionConsumer,
  ServiceConfig,
  ServiceCoreModule,
  topicName,
} from '@clientbook/platform';
import { ClientRelationships } from './application/client-relationships.service';
import { CrmDefinitions } from './application/crm-definitions.service';
import { MergeFollower } from './application/merge-follower';
import { AttributeSweep } from './application/attribute-sweep';
import { TaskList } from './application/task-list';
import { ClientCrmController } from './http/client-crm.controller';
import { CRM_PROBLEM_CODES } from './http/crm-problems';
import { DefinitionsController } from './http/definitions.controller';
import { CrmCards, RELATIONSHIP_WRITER } from './infrastructure/crm-cards';
import { CrmStreams } from './infrastructure/crm-streams';
import { CrmTasks } from './infrastructure/crm-tasks';
import { TasksController } from './http/tasks.controller';
import { CLIENTS_API_URL, KnownClients } from './infrastructure/known-clients';

@Module({})
export class CrmModule {
  static forConfig(config: ServiceConfig, clientsUrl: string): DynamicModule {
    const topic = topicName(config, Topics.crm);
    return {
      module: CrmModule,
      imports: [
        ServiceCoreModule.forService(config, { problemCodes: CRM_PROBLEM_CODES }),
        EventSourcingModule.forTopic(topic),
      ],
      controllers: [
        DefinitionsController,
        ClientCrmController,
        TasksController,
        // Its own read models: who holds what and every task (from its own topic); which clients
        // exist, and the merges it follows (clients topic).
        projectionConsumer(topic, [CrmCards, CrmTasks, AttributeSweep]),
        projectionConsumer(topicName(config, Topics.clients), [KnownClients, MergeFollower]),
      ],
      providers: [
        { provide: CLIENTS_API_URL, useValue: clientsUrl },
        CrmStreams,
        CrmCards,
        CrmTasks,
        KnownClients,
        TaskList,
        MergeFollower,
        AttributeSweep,
        ClientRelationships,
        { provide: RELATIONSHIP_WRITER, useExisting: ClientRelationships },
        CrmDefinitions,
      ],
    };
  }
}
