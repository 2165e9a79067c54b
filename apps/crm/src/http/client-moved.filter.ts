import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ClientMovedError } from '../application/client-moved';

/** A merged client's path answers 308 to the same path on the survivor (like `GET /v1/clients/{id}`). */
@Catch(ClientMovedError)
export class ClientMovedFilter implements ExceptionFilter {
  catch(error: ClientMovedError, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const id = String(request.params.id ?? '');
    const [path, query] = request.originalUrl.split('?', 2);
    const moved = path.replace(
      `/v1/clients/${encodeURIComponent(id)}`,
      `/v1/clients/${encodeURIComponent(error.survivorId)}`,
    );
    response
      .status(308)
      .setHeader('Location', query === undefined ? moved : `${moved}?${query}`)
      .json({ mergedInto: error.survivorId });
  }
}
