import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createGateway } from './gateway';
import { readGatewayConfig } from './gateway-config';
import { loadOperatorKey } from './operator/operator-key';

async function main(): Promise<void> {
  const config = readGatewayConfig();
  const operator = loadOperatorKey(config.operatorKey, config.dataDir);
  const app = await createGateway(config, operator.key);
  const logger = app.get(Logger);
  await app.listen(config.port, config.host);
  logger.log(`gateway listening on http://${config.host}:${config.port} (API docs at /docs)`);
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
