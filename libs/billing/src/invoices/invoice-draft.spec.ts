import { draftInvoice, InvoiceDraft, InvoiceInput, planInvoice, StoredInvoice } from './invoice-draft';

const CUSTOMER = '8e0b8e55-7f6e-4e43-9d55-3f0c5d7f0a11';
const input = (overrides: Partial<InvoiceInput> = {}): InvoiceInput => ({
  customerId: CUSTOMER,
  issuedOn: '2026-11-01',
  dueOn: '2026-11-30',
  currency: 'EUR',
  lines: [
    { description: 'Azure consumption', amount: '100.10' },
    { description: 'Credit', amount: '-0.10' },
  ],
  ...overrides,
});
const draft = (overrides: Partial<InvoiceInput> = {}): InvoiceDraft => draftInvoice('INV-1', input(overrides)).draft!;
const stored = (d: InvoiceDraft, extra: Partial<StoredInvoice> = {}): StoredInvoice => ({
  id: 'x',
  number: d.number,
  customer_id: d.customerId,
  issued_on: d.issuedOn,
  due_on: d.dueOn,
  currency: d.currency,
  total: String(d.total),
  paid: '0',
  status: d.void ? 'void' : 'open',
  lines: d.lines.map((l) => ({ description: l.description, amount: String(l.amount), subscription_id: l.subscriptionId })),
  ...extra,
});

describe('invoice drafts', () => {
  it('converts to minor units and adds the lines (credits allowed)', () => {
    const d = draft({ total: '100.00' });
    expect(d.total).toBe(10000);
    expect(d.lines.map((l) => l.amount)).toEqual([10010, -10]);
  });

  it('names every bad field, with the caller’s naming', () => {
    const { problems } = draftInvoice('INV-1', input({ issuedOn: '2026-13-01', dueOn: '2026-10-01', currency: 'EURO' }), (f) => `row 3 ${f}`);
    expect(problems.map((p) => p.field)).toEqual(['row 3 issuedOn', 'row 3 currency']);
    expect(draftInvoice('INV-1', input({ dueOn: '2026-10-01' })).problems).toEqual([{ field: 'dueOn', message: 'dueOn must not be before issuedOn' }]);
    expect(draftInvoice('INV-1', input({ lines: [{ description: 'a', amount: '1.001' }] })).problems[0].field).toBe('lines.0.amount');
    expect(draftInvoice('INV-1', input({ lines: [{ description: 'a', amount: '-1' }] })).problems[0].field).toBe('lines');
    expect(draftInvoice('INV-1', input({ total: '99.99' })).problems[0]).toEqual({ field: 'total', message: 'total must equal the sum of the lines' });
  });

  it('treats the same invoice again as unchanged, and names what changed otherwise', () => {
    const d = draft();
    expect(planInvoice(null, d)).toEqual({ kind: 'create' });
    expect(planInvoice(stored(d), d)).toEqual({ kind: 'unchanged' });
    expect(planInvoice(stored(d), draft({ dueOn: '2026-12-15', lines: [{ description: 'Azure', amount: '100.00' }] }))).toEqual({ kind: 'update', changes: ['dueOn', 'lines'] });
    expect(planInvoice(stored(d), draft({ status: 'void' }))).toEqual({ kind: 'update', changes: ['status'] });
  });

  it('refuses what recorded payments forbid, and another customer’s number', () => {
    const d = draft();
    const paid = stored(d, { status: 'paid', paid: String(d.total) });
    expect(planInvoice(paid, draft({ lines: [{ description: 'Azure', amount: '120.00' }] })).kind).toBe('conflict');
    expect(planInvoice(paid, draft({ currency: 'USD' })).kind).toBe('conflict');
    expect(planInvoice(paid, draft({ status: 'void' })).kind).toBe('conflict');
    // A paid invoice may still get a corrected due date or description.
    expect(planInvoice(paid, draft({ dueOn: '2026-12-01' }))).toEqual({ kind: 'update', changes: ['dueOn'] });
    const partly = stored(d, { paid: '6000' });
    expect(planInvoice(partly, draft({ lines: [{ description: 'Azure', amount: '50.00' }] })).kind).toBe('conflict');
    expect(planInvoice(partly, draft({ lines: [{ description: 'Azure', amount: '60.00' }] }))).toEqual({ kind: 'update', changes: ['total', 'lines'] });
    expect(planInvoice(stored(d, { customer_id: 'someone-else' }), d)).toEqual({ kind: 'conflict', message: 'invoice INV-1 belongs to another customer' });
  });
});
