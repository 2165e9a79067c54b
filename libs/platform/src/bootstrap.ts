import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { MicroserviceOptions } from '@nestjs/microservices';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Logger } from 'nestjs-pino';
import { ensureTopics } from '@clientbook/event-store';
import { Topics } from '@clientbook/contracts';
import { BatchingKafkaServer } from './batching-kafka-server';
import { ServiceAccessGuard } from './caller';
import { configureHttp, installMiddlewareErrorHandler } from './http';
import { verifyCallerHeaders } from './internal-calls';
import { problem, PROBLEM_CODES, ProblemCodes } from './problem-details.filter';
import { kafkaConnection, ServiceConfig, topicName } from './service-config';

export type KafkaConsumerOptions = { groupId: string };

/** Every topic the system uses, created up front so no consumer waits on auto-creation. */
export async function ensureSystemTopics(
  config: Pick<ServiceConfig, 'kafkaBrokers' | 'kafkaSasl' | 'kafkaSsl' | 'topicPrefix'>,
): Promise<void> {
  const kafka = new Kafka({
    clientId: 'clientbook-topics',
    ...kafkaConnection(config),
    logLevel: logLevel.WARN,
  });
  await ensureTopics(
    kafka,
    Object.values(Topics).map((topic) => topicName(config, topic)),
  );
}

/**
 * Starts a service as a NestJS hybrid app: the HTTP API the gateway calls, plus (when the service
 * reads events) a Kafka microservice whose `@EventPattern` handlers get the domain events.
 * An offset is committed only after its handler resolved; a handler that throws gets its messages again.
 */
export async function bootstrapService(
  module: Type<unknown> | DynamicModule,
  config: ServiceConfig,
  options: { kafkaConsumer?: KafkaConsumerOptions; openApi?: boolean } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const problemCodes = app.get<ProblemCodes>(PROBLEM_CODES, { strict: false });
  configureHttp(app, { problemCodes });
  // HTTP routes only: the Kafka handlers get their events from the broker, not from callers.
  app.useGlobalGuards(new ServiceAccessGuard(app.get(Reflector), config.internalSecret));
  await ensureSystemTopics(config);
  if (options.kafkaConsumer) {
    app.connectMicroservice<MicroserviceOptions>(
      {
        strategy: new BatchingKafkaServer({
          client: {
            clientId: `${config.serviceName}-consumer`,
            ...kafkaConnection(config),
            logLevel: logLevel.WARN,
          },
          consumer: {
            groupId: options.kafkaConsumer.groupId,
            sessionTimeout: 10_000,
            heartbeatInterval: 1_000,
            rebalanceTimeout: 10_000,
            maxWaitTimeInMs: 100,
          },
          subscribe: { fromBeginning: true },
          // Partitions in parallel, each in order: one aggregate's events stay sequential.
          run: { partitionsConsumedConcurrently: 3 },
          producer: { createPartitioner: Partitioners.DefaultPartitioner },
          postfixId: '',
        }),
      },
      { inheritAppConfig: false },
    );
    await app.startAllMicroservices();
  }
  if (options.openApi) {
    // The gateway merges each service's paths into the one public document at /docs.
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle(config.serviceName).build(),
    );
    app.getHttpAdapter().get('/internal/openapi.json', (request: Request, response: Response) => {
      const verified = verifyCallerHeaders(config.internalSecret, {
        method: request.method,
        target: request.originalUrl,
        headers: request.headers,
      });
      if (!verified.ok) {
        const body = problem('unauthorized', `only the gateway may call this service: ${verified.reason}`);
        response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
        return;
      }
      response.json(document);
    });
  }
  await app.init();
  installMiddlewareErrorHandler(app, problemCodes);
  await app.listen(config.port, config.host);
  app.get(Logger).log(`${config.serviceName} listening on http://${config.host}:${config.port}`);
  return app;
}
