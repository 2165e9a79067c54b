/**
 * given/when/then for deciders: `spec.given([events]).when(command).then([events])` or
 * `.thenThrows('code')`. The state is folded from the given events with the decider's evolve.
 */
export type Decider<Command, Event, State> = {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
};

export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: readonly Event[]) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: Command) {
          const run = () => decider.decide(command, state);
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
