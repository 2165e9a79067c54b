import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import { KAFKA, MONGO_DB } from './infrastructure.module';

export type PartStatus = 'up' | 'down';

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref()),
  ]);
}

/** Asks MongoDB and Kafka whether they answer, each within a short timeout. */
@Injectable()
export class InfrastructureHealth implements OnApplicationShutdown {
  private admin: Admin | null = null;

  constructor(
    @Inject(MONGO_DB) private readonly db: Db,
    @Inject(KAFKA) private readonly kafka: Kafka,
  ) {}

  async check(timeoutMs = 2000): Promise<{ mongodb: PartStatus; kafka: PartStatus }> {
    const [mongodb, kafka] = await Promise.all([
      withTimeout(this.db.command({ ping: 1 }), timeoutMs).then(
        () => 'up' as const,
        () => 'down' as const,
      ),
      withTimeout(this.describeCluster(), timeoutMs).then(
        () => 'up' as const,
        () => {
          this.admin = null;
          return 'down' as const;
        },
      ),
    ]);
    return { mongodb, kafka };
  }

  private async describeCluster(): Promise<void> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const cluster = await this.admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('no brokers');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }
}
