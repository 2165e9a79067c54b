import { Injectable } from '@nestjs/common';
import { EventMetadata, EVENTS, IMPORT_AGGREGATE, ImportEvent } from '@clientbook/contracts';
import { EventStore, VersionConflictError } from '@clientbook/event-store';
import type { ImportJob } from './import-jobs';

const metadataOf = (job: ImportJob): EventMetadata => ({
  actor: { kind: 'system', id: 'import-matching' },
  correlationId: job.correlationId,
  causationId: null,
});

/** What imports did, for accounting pipelines: each job is a stream of the imports topic. */
@Injectable()
export class ImportEvents {
  constructor(private readonly store: EventStore) {}

  /**
   * Appends the events of lines `from + 1`… as versions of the job's stream: one per line, so the
   * version is the line's number. Already there (the batch is redone after a crash): nothing to do.
   */
  async append(job: ImportJob, from: number, events: readonly ImportEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.store.append({
        tenantId: job.tenantId,
        aggregateType: IMPORT_AGGREGATE,
        aggregateId: job._id,
        expectedVersion: from,
        events: events.map((event) => ({ ...event, schemaVersion: EVENTS.latestVersion(event.type) })),
        metadata: metadataOf(job),
      });
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
}
