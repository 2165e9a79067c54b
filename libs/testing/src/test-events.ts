import { z } from 'zod';
import { EventRegistry } from '@clientbook/contracts';

/** The event the event-store tests append and consume (`Noted { n }`), as a registry parses it. */
export const TEST_EVENTS = new EventRegistry([
  {
    type: 'Noted',
    aggregateType: 'Test',
    topic: 'test',
    description: 'a test event',
    versions: [z.object({ n: z.number() })],
    upcasters: [],
  },
]);
