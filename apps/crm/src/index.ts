// The CRM service as the system tests and benchmarks compose it. No app imports this.
export { CrmModule } from './app.module';
export { MergeFollower } from './application/merge-follower';
export { CrmStreams } from './infrastructure/crm-streams';
export { CrmCards } from './infrastructure/crm-cards';
