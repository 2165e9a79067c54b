import { EVENTS } from '@clientbook/contracts';

/**
 * given/when/then for deciders: `spec.given([events]).when(command).then([events])` or
 * `.thenThrows('code')`. The state is folded from the given events with the decider's evolve.
 * With `aggregateType`, every event a command produces must also parse with its published schema.
 */
export type Decider<Command, Event, State> = {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
  aggregateType?: string;
};

/** Why an event, as a decider made it, would not parse at a consumer; null when it would. */
export function contractProblem(
  aggregateType: string,
  event: { type: string; data: unknown },
): string | null {
  const parsed = EVENTS.parse({
    eventId: 'contract-check',
    type: event.type,
    schemaVersion: EVENTS.has(event.type) ? EVENTS.latestVersion(event.type) : 1,
    tenantId: 'tenant',
    aggregateType,
    aggregateId: 'aggregate',
    aggregateVersion: 1,
    occurredAt: '2026-01-01T00:00:00.000Z',
    actor: { kind: 'system', id: 'test' },
    correlationId: 'contract-check',
    causationId: null,
    data: JSON.parse(JSON.stringify(event.data)),
  });
  return parsed.ok ? null : parsed.reason;
}

export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  const decide = (command: Command, state: State): Event[] => {
    const events = decider.decide(command, state);
    if (decider.aggregateType)
      for (const event of events)
        expect(contractProblem(decider.aggregateType, event as { type: string; data: unknown })).toBeNull();
    return events;
  };
  return {
    given(events: readonly Event[]) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: Command) {
          const run = () => decide(command, state);
          return {
            then(expected: readonly Event[]): Event[] {
              const events = run();
              expect(events).toEqual(expected);
              return events;
            },
            thenThrows(code: string, errors?: readonly unknown[]): void {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toMatchObject({ code });
              if (errors) expect((thrown as { errors: unknown }).errors).toEqual(errors);
            },
            /** The state after the events the command produced. */
            thenState(): State {
              return run().reduce(decider.evolve, state);
            },
          };
        },
      };
    },
  };
}
