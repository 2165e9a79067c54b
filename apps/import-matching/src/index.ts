// The import-matching service as the system tests and benchmarks compose it: its module, and the
// parts they reach inside (the matching read model, the fault hooks, the parsers, the matching of a
// bank statement line). No app imports this.
export { ImportMatchingModule } from './app.module';
export { ImportFaults } from './jobs/import-faults';
export { MatchingClients } from './matching/matching-clients.projection';
export { MatchingIndex } from './matching/matching-index';
export { companyNameKey } from './matching/counterparty-names';
export { parseCamt053, parseCamt053Bytes } from './bank-statements/camt053.parser';
export { matchBankLine } from './bank-statements/match-bank-line';
export { parseIsolated } from './parsing/isolated-parsing';
