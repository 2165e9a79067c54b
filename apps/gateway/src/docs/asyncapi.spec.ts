import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { EVENTS, Topics } from '@clientbook/contracts';
import { asyncApiDocument } from './asyncapi';

describe('the AsyncAPI document', () => {
  const document = asyncApiDocument({ topicPrefix: 'prod.' });

  it('is a valid AsyncAPI 3 document, by the AsyncAPI parser', async () => {
    const { diagnostics } = await new Parser().parse(JSON.stringify(document));
    const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
    expect(errors.map((e) => `${e.path.join('.')}: ${e.message}`)).toEqual([]);
  });

  it('has a channel per topic and a message per event type, with the prefixed topic names', () => {
    const channels = document.channels as Record<
      string,
      { address: string; messages: Record<string, unknown> }
    >;
    expect(channels.clients.address).toBe(`prod.${Topics.clients}`);
    expect(channels.imports.address).toBe(`prod.${Topics.imports}`);
    const messages = Object.values(channels).flatMap((c) => Object.keys(c.messages));
    expect(messages.sort()).toEqual(
      EVENTS.definitions()
        .map((d) => d.type)
        .sort(),
    );
  });

  it('gives each message its schema version and the schema of its data', () => {
    const messages = (document.components as { messages: Record<string, any> }).messages;
    const payload = messages.StatementLineMatched.payload;
    expect(payload.properties.type).toEqual({ type: 'string', const: 'StatementLineMatched' });
    expect(payload.properties.schemaVersion.const).toBe(1);
    expect(payload.properties.data.required).toEqual(
      expect.arrayContaining([
        'clientId',
        'amount',
        'currency',
        'direction',
        'bookingDate',
        'ref',
        'remittance',
      ]),
    );
    expect(messages.ClientRegistered.payload.properties.data.properties.kind.enum).toEqual([
      'company',
      'person',
    ]);
  });
});
