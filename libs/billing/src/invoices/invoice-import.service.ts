import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { actorOf, Principal } from '@helpdesk/auth';
import { OutboxService } from '@helpdesk/database';
import { DomainErrorCode, FieldError, isUuid } from '@helpdesk/http';
import { lockAccounts } from '../accounts/account-lock';
import { BillingClock } from '../clock/billing-clock';
import { DunningRunsService } from '../dunning/dunning-runs.service';
import { SuspensionsService } from '../suspensions/suspensions.service';
import { BillingTimeline } from '../timeline/billing-timeline.service';
import { draftInvoice, InvoiceDraft, InvoiceInput, planInvoice, SELECT_STORED_INVOICE, StoredInvoice } from './invoice-draft';
import { foreignSubscriptionLines, invalid } from './invoices.service';
import { InvoiceWrite, writeInvoices } from './invoice-writes';
import { retryOnNumberRace } from './number-race';

export const CSV_COLUMNS = ['number', 'customerId', 'issuedOn', 'dueOn', 'currency', 'description', 'amount'] as const;
export const OPTIONAL_CSV_COLUMNS = ['subscriptionId', 'status'] as const;
/** Row errors listed in one answer (the count says how many there were in all). */
export const MAX_LISTED_ERRORS = 1000;
export const INVOICE_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;

export interface ImportResult {
  invoices: number;
  created: number;
  updated: number;
  unchanged: number;
  /** The dunning run queued for the imported customers (null when nothing changed). */
  dunningRunId: string | null;
}

type Row = Record<(typeof CSV_COLUMNS)[number] | (typeof OPTIONAL_CSV_COLUMNS)[number], string | undefined>;

interface Group {
  number: string;
  /** The CSV row of each line of the invoice. */
  rowNumbers: number[];
  rows: Row[];
  /** A row of it has a problem of its own: it is not drafted (its other problems would only repeat). */
  bad: boolean;
}

/**
 * A CSV of invoices, one row per invoice line (rows sharing a number are one invoice), stored like
 * `PUT /invoices/:number` each: all or nothing. Every problem — in a row, or between a row and the
 * records (no billing account, another currency, another customer's subscription or number, a
 * change a payment forbids) — is listed with its row, in one answer, and then nothing at all is
 * written (the transaction that checked the records rolls back).
 */
@Injectable()
export class InvoiceImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly timeline: BillingTimeline,
    private readonly suspensions: SuspensionsService,
    private readonly runs: DunningRunsService,
    private readonly outbox: OutboxService,
    private readonly clock: BillingClock,
  ) {}

  async import(principal: Principal, csv: string): Promise<ImportResult> {
    const { groups, problems } = this.read(csv);
    const drafts: Array<{ draft: InvoiceDraft; group: Group }> = [];
    for (const group of groups) {
      if (group.bad) continue;
      const at = (field: string) => {
        const line = /^lines\.(\d+)\./.exec(field);
        return line ? `row ${group.rowNumbers[Number(line[1])]}.${field.slice(line[0].length)}` : `row ${group.rowNumbers[0]}.${field === 'lines' ? 'amount' : field}`;
      };
      const first = group.rows[0];
      const input: InvoiceInput = {
        customerId: first.customerId!,
        issuedOn: first.issuedOn!,
        dueOn: first.dueOn!,
        currency: first.currency!,
        status: (first.status || 'open') as 'open' | 'void',
        lines: group.rows.map((r) => ({ description: r.description!, amount: r.amount!, subscriptionId: r.subscriptionId || null })),
      };
      const { draft, problems: drafted } = draftInvoice(group.number, input, at);
      problems.push(...drafted);
      if (draft) drafts.push({ draft, group });
    }
    if (drafts.length === 0 && problems.length === 0) throw invalid(DomainErrorCode.Invalid, [{ field: 'body', message: 'the CSV has no invoice rows' }]);

    const actor = actorOf(principal);
    const result = await retryOnNumberRace(() =>
      this.dataSource.transaction(async (manager) => {
        const customerIds = [...new Set(drafts.map((d) => d.draft.customerId))];
        const accounts: Array<{ customer_id: string; currency: string }> = await manager.query(
          `SELECT customer_id, currency FROM billing_accounts WHERE customer_id = ANY($1::uuid[])`,
          [customerIds],
        );
        const currencyOf = new Map(accounts.map((a) => [a.customer_id, a.currency]));
        const stored: StoredInvoice[] = await manager.query(`${SELECT_STORED_INVOICE} WHERE i.number = ANY($1::text[]) FOR UPDATE OF i`, [drafts.map((d) => d.draft.number)]);
        const storedOf = new Map(stored.map((s) => [s.number, s]));
        const foreign = await foreignSubscriptionLines(manager, drafts.map((d) => d.draft));
        const errors: FieldError[] = [...problems];
        errors.push(...foreign.map(([i, line]) => ({
          field: `row ${drafts[i].group.rowNumbers[line]}.subscriptionId`,
          message: `row ${drafts[i].group.rowNumbers[line]}: subscriptionId is not a subscription of customer ${drafts[i].draft.customerId}`,
        })));
        const writes: InvoiceWrite[] = [];
        let unchanged = 0;
        for (const { draft, group } of drafts) {
          const row = group.rowNumbers[0];
          const currency = currencyOf.get(draft.customerId);
          if (!currency) {
            errors.push({ field: `row ${row}.customerId`, message: `row ${row}: customer ${draft.customerId} has no billing account` });
            continue;
          }
          if (currency !== draft.currency) {
            errors.push({ field: `row ${row}.currency`, message: `row ${row}: currency must be the billing account's currency, ${currency}` });
            continue;
          }
          const plan = planInvoice(storedOf.get(draft.number) ?? null, draft);
          if (plan.kind === 'conflict') errors.push({ field: `row ${row}.number`, message: `row ${row}: ${plan.message}` });
          else if (plan.kind === 'unchanged') unchanged++;
          else writes.push({ draft, stored: storedOf.get(draft.number) ?? null, changes: plan.kind === 'update' ? plan.changes : undefined });
        }
        if (errors.length > 0) throw this.refused(errors);
        const result: ImportResult = { invoices: drafts.length, created: 0, updated: 0, unchanged, dunningRunId: null };
        if (writes.length === 0) return result;
        // Changes to stored invoices may clear what a suspension waits for: those customers are
        // locked (as a payment would) and their suspensions settled with the change.
        const changedCustomers = [...new Set(writes.filter((w) => w.stored).map((w) => w.draft.customerId))].sort();
        await lockAccounts(manager, changedCustomers);
        await writeInvoices(manager, this.timeline, writes, actor, this.clock.now());
        for (const customerId of changedCustomers) {
          await this.suspensions.settle(manager, customerId, { trigger: 'invoice_change', reason: 'invoices changed by a CSV import', actor });
        }
        result.created = writes.filter((w) => !w.stored).length;
        result.updated = writes.length - result.created;
        // What is already due for the imported invoices is applied now, not at the next daily run.
        result.dunningRunId = await this.runs.enqueue(manager, { trigger: 'import', customerIds: [...new Set(writes.map((w) => w.draft.customerId))], actor });
        return result;
      }),
    );
    this.outbox.wakeRelays();
    return result;
  }

  /**
   * Parses and checks the rows on their own; groups them into invoices by number. Rows are numbered
   * as a spreadsheet shows them: the header is row 1 (a quoted value spanning lines is one row).
   */
  private read(csv: string): { groups: Group[]; problems: FieldError[] } {
    const problems: FieldError[] = [];
    let records: string[][];
    try {
      records = parse(csv, { bom: true, trim: true, relax_column_count: true, skip_empty_lines: false });
    } catch (error) {
      const e = error as { message?: string; records?: number };
      throw invalid(DomainErrorCode.Invalid, [{ field: e.records !== undefined ? `row ${e.records + 1}` : 'body', message: `the CSV cannot be read: ${e.message ?? 'malformed'}` }]);
    }
    const header = records[0] ?? [];
    const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
    const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h) && !(OPTIONAL_CSV_COLUMNS as readonly string[]).includes(h));
    if (missing.length > 0 || unknown.length > 0) {
      throw invalid(DomainErrorCode.Invalid, [
        {
          field: 'row 1',
          message: `row 1 must be the header ${[...CSV_COLUMNS, ...OPTIONAL_CSV_COLUMNS].join(',')} (the last two optional)${missing.length ? `; missing ${missing.join(', ')}` : ''}${unknown.length ? `; unknown ${unknown.join(', ')}` : ''}`,
        },
      ]);
    }
    const column = Object.fromEntries(header.map((name, i) => [name, i])) as Record<string, number>;
    const groups = new Map<string, Group>();
    for (let r = 1; r < records.length; r++) {
      const values = records[r];
      if (values.length === 1 && values[0] === '') continue;
      const rowNumber = r + 1;
      const row = Object.fromEntries([...CSV_COLUMNS, ...OPTIONAL_CSV_COLUMNS].map((name) => [name, column[name] === undefined ? undefined : values[column[name]]])) as Row;
      const number = row.number ?? '';
      const before = problems.length;
      const problem = (field: string, message: string) => problems.push({ field: `row ${rowNumber}.${field}`, message: `row ${rowNumber}: ${field} ${message}` });
      const markBad = () => {
        const group = groups.get(number);
        if (group && problems.length > before) group.bad = true;
      };
      if (values.length !== header.length) {
        problems.push({ field: `row ${rowNumber}`, message: `row ${rowNumber}: has ${values.length} values, the header has ${header.length}` });
        markBad();
        continue;
      }
      if (!INVOICE_NUMBER.test(number)) problem('number', 'must be 1–100 letters, digits or . _ / - (starting with a letter or digit)');
      if (!isUuid(row.customerId ?? '')) problem('customerId', 'must be a customer id (UUID)');
      if (!row.description || row.description.length > 500) problem('description', 'must be 1–500 characters');
      if (row.subscriptionId && !isUuid(row.subscriptionId)) problem('subscriptionId', 'must be a subscription id (UUID) or empty');
      if (row.status && row.status !== 'open' && row.status !== 'void') problem('status', 'must be open, void or empty');
      if (!INVOICE_NUMBER.test(number)) continue;
      const group = groups.get(number);
      if (!group) {
        groups.set(number, { number, rowNumbers: [rowNumber], rows: [row], bad: problems.length > before });
        continue;
      }
      const first = group.rows[0];
      for (const field of ['customerId', 'issuedOn', 'dueOn', 'currency', 'status'] as const) {
        if ((row[field] ?? '') !== (first[field] ?? '')) problem(field, `differs from row ${group.rowNumbers[0]}, an earlier row of invoice ${number}`);
      }
      group.rowNumbers.push(rowNumber);
      group.rows.push(row);
      markBad();
    }
    return { groups: [...groups.values()], problems };
  }

  /** Every problem, in the order of the file's rows. */
  private refused(problems: FieldError[]) {
    const rowOf = (e: FieldError) => Number(/^row (\d+)/.exec(e.field)?.[1] ?? 0);
    const sorted = [...problems].sort((a, b) => rowOf(a) - rowOf(b));
    return invalid(DomainErrorCode.Unprocessable, sorted.slice(0, MAX_LISTED_ERRORS), {
      errorCount: problems.length,
      imported: 0,
    });
  }
}
