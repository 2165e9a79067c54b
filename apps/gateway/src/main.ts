import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ensureSystemTopics } from '@clientbook/platform';
import { GatewayModule } from './app.module';
import { readGatewayConfig } from './gateway-config';
import { loadOperatorKey } from './operator/operator-key';

async function main(): Promise<void> {
  const gatewayConfig = readGatewayConfig();
  const operator = loadOperatorKey(process.env, gatewayConfig.dataDir);
  const app = await NestFactory.create(GatewayModule.forConfig(gatewayConfig), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  await ensureSystemTopics(gatewayConfig.kafkaBrokers);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Clientbook API')
      .setDescription(
        'The clients module: one list of every counterparty, imports without duplicates, auditable merges.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

  await app.listen(gatewayConfig.port, gatewayConfig.host);
  logger.log(`gateway listening on http://${gatewayConfig.host}:${gatewayConfig.port} (API docs at /docs)`);
  if (operator.source === 'generated') {
    // Printed once, on the start that generated it; later starts read it from the file.
    process.stdout.write(
      `\nOperator key (creates tenants; kept in ${operator.file}):\n  ${operator.key}\n\n`,
    );
  } else {
    logger.log(`operator key from ${operator.source === 'file' ? operator.file : 'OPERATOR_KEY'}`);
  }
}

main().catch((error: unknown) => {
  console.error('gateway failed to start:', error);
  process.exit(1);
});
