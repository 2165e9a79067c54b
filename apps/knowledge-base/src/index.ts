// The knowledge-base service as the system tests and benchmarks compose it. No app imports this.
export { KnowledgeBaseModule } from './app.module';
