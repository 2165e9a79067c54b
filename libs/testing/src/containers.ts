// TEST_INFRA=containers: the same tests against real MongoDB and Kafka in Docker, via testcontainers.
export type Containers = { kafkaBrokers: string; mongodbUri: string; stop: () => Promise<void> };

export async function startContainers(): Promise<Containers> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const [kafka, mongo] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().start(),
    new MongoDBContainer('mongo:8.0').start(),
  ]);
  return {
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    mongodbUri: `${mongo.getConnectionString()}/?directConnection=true`,
    stop: async () => {
      await Promise.all([kafka.stop(), mongo.stop()]);
    },
  };
}
