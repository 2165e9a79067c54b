// The invoices service as the system tests and benchmarks compose it. No app imports this.
export { InvoicesModule } from './app.module';
export { renderInvoices } from './pdf/invoice-pdf';
