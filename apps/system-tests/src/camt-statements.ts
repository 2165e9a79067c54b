import { composeIBAN } from 'ibantools';

/** A valid Lithuanian IBAN numbered `i`, for generated statements and clients. */
export const numberedIban = (i: number): string =>
  composeIBAN({ countryCode: 'LT', bban: `73000${String(i).padStart(11, '0')}` }) ?? '';

/** A money-in entry of a camt.053 statement: a payment from a payer with a name and maybe an IBAN. */
export function creditEntry(ref: string, amount: string, payer: { name: string; iban?: string }): string {
  const account = payer.iban ? `<DbtrAcct><Id><IBAN>${payer.iban}</IBAN></Id></DbtrAcct>` : '';
  return (
    `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><AcctSvcrRef>${ref}</AcctSvcrRef>` +
    `<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>${payer.name}</Nm></Dbtr>${account}</RltdPties></TxDtls></NtryDtls></Ntry>`
  );
}

/** A camt.053 document (version `camt.053.001.<version>`) of one statement holding the entries. */
export function camtStatement(id: string, entries: readonly string[], version = '02'): string {
  return (
    `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}">` +
    `<BkToCstmrStmt><Stmt><Id>${id}</Id>${entries.join('')}</Stmt></BkToCstmrStmt></Document>`
  );
}
