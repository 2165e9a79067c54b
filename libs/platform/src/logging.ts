import type { ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { CORRELATION_HEADER, correlationIdOf } from './correlation';
import type { ServiceConfig } from './service-config';

/** Structured JSON logs; every request line carries its correlation id, never the API key. */
export function loggingModule({ serviceName, logLevel }: Pick<ServiceConfig, 'serviceName' | 'logLevel'>) {
  return LoggerModule.forRoot({
    pinoHttp: {
      name: serviceName,
      level: logLevel,
      genReqId: (request, response: ServerResponse) => {
        const id = correlationIdOf(request);
        response.setHeader(CORRELATION_HEADER, id);
        return id;
      },
      customProps: (request) => ({ correlationId: request.id }),
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      autoLogging: { ignore: (request) => request.url === '/health' || request.url === '/internal/health' },
    },
  });
}
