import { DynamicModule, Module } from '@nestjs/common';
import { Topics } from '@clientbook/contracts';
import {
  EventSourcingModule,
  projectionConsumer,
  ServiceConfig,
  ServiceCoreModule,
  topicName,
} from '@clientbook/platform';
import { Invoices } from './application/invoices.service';
import { MergeFollower } from './application/merge-follower';
import { INVOICE_PROBLEM_CODES } from './http/invoice-problems';
import { InvoicesController } from './http/invoices.controller';
import { InvoiceCards } from './infrastructure/invoice-cards';
import { InvoiceNumbers } from './infrastructure/invoice-numbers';
import { InvoiceStreams } from './infrastructure/invoice-streams';
import { CLIENTS_API_URL, Parties } from './infrastructure/parties';

/** Invoices issued to clients: recorded, listed on the card, followed through merges, printed. */
@Module({})
export class InvoicesModule {
  static forConfig(config: ServiceConfig, clientsUrl: string): DynamicModule {
    const topic = topicName(config, Topics.invoices);
    return {
      module: InvoicesModule,
      imports: [
        ServiceCoreModule.forService(config, { problemCodes: INVOICE_PROBLEM_CODES }),
        EventSourcingModule.forTopic(topic),
      ],
      controllers: [
        InvoicesController,
        // Its own read model (invoices topic), and what it knows of clients and their merges
        // (clients topic): the parties first, so the merge follower finds each merge learnt.
        projectionConsumer(topic, [InvoiceCards, MergeFollower]),
        projectionConsumer(topicName(config, Topics.clients), [Parties, MergeFollower]),
      ],
      providers: [
        { provide: CLIENTS_API_URL, useValue: clientsUrl },
        InvoiceStreams,
        InvoiceNumbers,
        InvoiceCards,
        Parties,
        Invoices,
        MergeFollower,
      ],
    };
  }
}
