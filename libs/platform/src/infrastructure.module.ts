import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import type { Db } from 'mongodb';
import { kafkaConnection, ServiceConfig } from './service-config';

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const MONGO_DB = Symbol('MONGO_DB');
export const KAFKA = Symbol('KAFKA');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');

@Injectable()
class KafkaLifecycle implements OnApplicationShutdown {
  constructor(@Inject(KAFKA_PRODUCER) private readonly producer: Producer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}

/**
 * MongoDB (through mongoose; the native `Db` for the event store) and Kafka (a client and a
 * connected producer that keeps each partition's order) for one service.
 */
@Global()
@Module({})
export class InfrastructureModule {
  static forService(config: ServiceConfig): DynamicModule {
    return {
      module: InfrastructureModule,
      imports: [
        MongooseModule.forRoot(config.mongodbUri, {
          dbName: config.database,
          serverSelectionTimeoutMS: 10_000,
          maxPoolSize: config.mongodbMaxPoolSize,
          // Indexes are created by each service's startup code, for MongoDB and FerretDB alike.
          autoIndex: false,
        }),
      ],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        {
          provide: MONGO_DB,
          inject: [getConnectionToken()],
          useFactory: (connection: Connection): Db => {
            if (!connection.db) throw new Error('MongoDB connection has no database');
            return connection.db as unknown as Db;
          },
        },
        {
          provide: KAFKA,
          useFactory: () =>
            new Kafka({
              clientId: config.serviceName,
              ...kafkaConnection(config),
              logLevel: logLevel.WARN,
              retry: { retries: 8 },
            }),
        },
        {
          provide: KAFKA_PRODUCER,
          inject: [KAFKA],
          useFactory: async (kafka: Kafka): Promise<Producer> => {
            const producer = kafka.producer({
              maxInFlightRequests: 1,
              allowAutoTopicCreation: false,
              createPartitioner: Partitioners.DefaultPartitioner,
            });
            await producer.connect();
            return producer;
          },
        },
        KafkaLifecycle,
      ],
      exports: [SERVICE_CONFIG, MONGO_DB, KAFKA, KAFKA_PRODUCER],
    };
  }
}
