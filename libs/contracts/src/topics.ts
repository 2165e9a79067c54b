/** Kafka topics, one per producing service (ARCHITECTURE.md "Services"). */
export const Topics = {
  clients: 'clientbook.clients',
  imports: 'clientbook.imports',
  crm: 'clientbook.crm',
  knowledgeBase: 'clientbook.kb',
  invoices: 'clientbook.invoices',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];
