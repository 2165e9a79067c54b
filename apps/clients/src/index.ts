// The clients service as the system tests and benchmarks compose it: its module, and the parts
// they reach inside to deliver an event again or cut a merge short. No app imports this.
export { ClientsModule } from './app.module';
export { ExecuteClientCommand } from './application/execute-client-command.handler';
export { CommandFaults } from './application/command-faults';
export { ClientCardProjection } from './infrastructure/client-card.projection';
export { ClientCards } from './infrastructure/client-cards';
export { ClientSearchIndex } from './infrastructure/client-search-index';
export { CreateClientDto, registerCommand } from './http/client.dto';
export { MergeProcess } from './merge/merge-process';
export { MergeFaults, MergeStep } from './merge/merge-faults';
