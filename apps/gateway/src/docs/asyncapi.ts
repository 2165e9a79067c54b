import { z } from 'zod';
import { EnvelopeSchema, EventDefinition, EVENTS, EventRegistry, Topics } from '@clientbook/contracts';

type JsonSchema = Record<string, unknown>;

/** A zod schema as the JSON Schema (draft-07, which AsyncAPI schemas extend) it stands for. */
function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _draft, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'output',
  }) as JsonSchema;
  return rest;
}

// What each topic carries, for the channel's description.
const TOPIC_DESCRIPTIONS: Readonly<Record<string, string>> = {
  [Topics.clients]: 'Every change of every client card (the Client aggregate), in order per client.',
  [Topics.imports]:
    'What import jobs did: each bank statement line and e-shop order (matched or not), and each job’s end.',
  [Topics.crm]:
    'The CRM: each tenant’s statuses and attributes, and each client’s status, attributes, activities, reviews and tasks.',
  [Topics.knowledgeBase]: 'The help centre: articles (drafts, publishing), lesson images and feedback.',
  [Topics.invoices]:
    'Invoices issued to clients: recorded (with what they print), cancelled, and moved to a survivor by merges.',
};

/** The payload of one event: its envelope, with `type`, `schemaVersion` and `data` fixed to this event's. */
function payloadOf(definition: EventDefinition, envelope: JsonSchema): JsonSchema {
  const version = definition.versions.length;
  const properties = envelope.properties as Record<string, JsonSchema>;
  return {
    ...envelope,
    properties: {
      ...properties,
      type: { type: 'string', const: definition.type },
      schemaVersion: { type: 'integer', const: version, description: 'the version of `data`’s schema' },
      aggregateType: { type: 'string', const: definition.aggregateType },
      data: jsonSchemaOf(definition.versions[version - 1]),
    },
  };
}

const channelId = (topic: string) => topic.split('.').at(-1) ?? topic;

/**
 * The AsyncAPI 3 document of every topic and event, generated from the schemas consumers parse
 * with (`EVENTS`), so the two cannot disagree. Topic names carry the deployment's prefix.
 */
export function asyncApiDocument(options: { topicPrefix: string; registry?: EventRegistry }): JsonSchema {
  const registry = options.registry ?? EVENTS;
  const envelope = jsonSchemaOf(EnvelopeSchema);
  const definitions = registry.definitions();
  const topics = [...new Set(definitions.map((d) => d.topic))];
  const channels: Record<string, JsonSchema> = {};
  const operations: Record<string, JsonSchema> = {};
  const messages: Record<string, JsonSchema> = {};
  for (const definition of definitions) {
    messages[definition.type] = {
      name: definition.type,
      title: definition.type,
      summary: definition.description,
      contentType: 'application/json',
      payload: payloadOf(definition, envelope),
      bindings: {
        kafka: {
          key: {
            type: 'string',
            description: '`tenantId:aggregateId`: one aggregate’s events share a partition, in order',
          },
          bindingVersion: '0.5.0',
        },
      },
    };
  }
  for (const topic of topics) {
    const id = channelId(topic);
    const own = definitions.filter((d) => d.topic === topic);
    channels[id] = {
      address: `${options.topicPrefix}${topic}`,
      description: TOPIC_DESCRIPTIONS[topic] ?? '',
      messages: Object.fromEntries(own.map((d) => [d.type, { $ref: `#/components/messages/${d.type}` }])),
    };
    operations[`publish-${id}`] = {
      action: 'send',
      summary: `The ${id} service publishes these (at least once; consumers skip an aggregate version they have applied).`,
      channel: { $ref: `#/channels/${id}` },
      messages: own.map((d) => ({ $ref: `#/channels/${id}/messages/${d.type}` })),
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Clientbook events',
      version: '1',
      description:
        'The domain events of Clientbook on Kafka: the contract for consumers (accounting pipelines, other services). ' +
        'Every message is a JSON envelope keyed `tenantId:aggregateId`; `data` follows the schema of its `type` at ' +
        '`schemaVersion`. Consumers should skip an `aggregateVersion` they have already applied (delivery is at least once).',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}
