import { MigrationInterface, QueryRunner } from 'typeorm';
import { contextSql } from '../context-sql';

/** Billing's database functions, as billing keeps them (loaded with contextSql). */
export const RECEIVABLE_DELTAS_SQL = 'billing/src/reports/receivable-deltas.sql';
export const SUSPENSION_DELTAS_SQL = 'billing/src/reports/suspension-deltas.sql';

const TRANSITIONS = [
  ['insert', 'NEW TABLE AS new_rows'],
  ['update', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
  ['delete', 'OLD TABLE AS old_rows'],
] as const;

/** `fn` as a statement-level AFTER trigger of every change to `table` (`<prefix>_insert`, …), with its transition tables. */
async function createStatementTriggers(q: QueryRunner, table: string, prefix: string, fn: string): Promise<void> {
  for (const [op, transition] of TRANSITIONS) {
    await q.query(`CREATE TRIGGER ${prefix}_${op} AFTER ${op.toUpperCase()} ON ${table} REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
  }
}

/**
 * The billing context (libs/billing): accounts, subscriptions, invoices and payments, the versioned
 * collections policy, dunning (runs and the (invoice, step) record that makes each step happen
 * once), notices, suspensions and their provisioning deliveries, and the billing timeline.
 * `tickets.disputed_invoice` (read by billing's dispute grace) is intake's column: migration
 * 1764005000300 adds it. This migration added it before that one existed; databases migrated then
 * keep the column and its data (1764005000300 finds it there).
 *
 * The records a dunning run or an import appends by the hundred thousand (dunning_actions,
 * billing_events, billing_notices, billing_suspensions, subscription_status_changes,
 * provisioning_actions, invoice_lines) carry no foreign key to what they belong to: only billing
 * writes them, inside the transaction that holds the account lock of (or has just written) the row
 * they point to, and nothing is ever deleted. A key there would add, for each of those rows, a
 * lookup and a KEY SHARE lock on a row the transaction already holds or has just written.
 */
export class Billing1764002000000 implements MigrationInterface {
  name = 'Billing1764002000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE billing_accounts (
        customer_id uuid PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        payment_terms_days int NOT NULL CHECK (payment_terms_days BETWEEN 0 AND 365),
        contact_name text NOT NULL,
        contact_email text NOT NULL,
        locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('es','en')),
        paused_until date,
        pause_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((paused_until IS NULL) = (pause_reason IS NULL))
      )`);

    await q.query(`
      CREATE TABLE subscriptions (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES billing_accounts(customer_id) ON DELETE CASCADE,
        product text NOT NULL CHECK (product IN ('azure','microsoft_365','dynamics_365','other')),
        vendor_subscription_id text NOT NULL,
        tenant_id text NOT NULL,
        offer_name text NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        unit_price bigint NOT NULL CHECK (unit_price >= 0),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','suspended','cancelled')),
        -- The suspension holding it suspended (collections or manual); kept after it is cancelled.
        suspension_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT subscriptions_vendor_subscription_id_key UNIQUE (vendor_subscription_id),
        CHECK (status <> 'suspended' OR suspension_id IS NOT NULL)
      ) WITH (fillfactor = 80)`);
    await q.query(`CREATE INDEX subscriptions_customer_idx ON subscriptions (customer_id)`);
    // No index on status or suspension_id: suspending and restoring (by the hundred thousand in a
    // run) then change no indexed column, and with the page room fillfactor leaves they are HOT
    // updates that touch no index. Suspended subscriptions are found by customer or by id.

    // How many subscriptions and customers are suspended, for the report: deltas appended by a
    // statement trigger (the same scheme as the receivables below), folded by the worker.
    await q.query(`CREATE TABLE suspension_totals (id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1), subscriptions bigint NOT NULL, customers bigint NOT NULL)`);
    await q.query(`INSERT INTO suspension_totals (id, subscriptions, customers) VALUES (1, 0, 0)`);
    await q.query(`CREATE TABLE suspension_deltas (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, subscriptions int NOT NULL, customers int NOT NULL)`);
    await q.query(contextSql(SUSPENSION_DELTAS_SQL));
    await createStatementTriggers(q, 'subscriptions', 'subscriptions_suspension', 'subscriptions_suspension_deltas');

    await q.query(`
      CREATE TABLE subscription_status_changes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subscription_id uuid NOT NULL,
        from_status text,
        to_status text NOT NULL,
        reason text NOT NULL,
        suspension_id uuid,
        actor_kind text NOT NULL CHECK (actor_kind IN ('staff','customer','system')),
        actor_id uuid,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX subscription_status_changes_subscription_idx ON subscription_status_changes (subscription_id, id)`);

    await q.query(`
      CREATE TABLE invoices (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        number text NOT NULL,
        customer_id uuid NOT NULL REFERENCES billing_accounts(customer_id) ON DELETE CASCADE,
        issued_on date NOT NULL,
        due_on date NOT NULL,
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        total bigint NOT NULL CHECK (total > 0),
        paid bigint NOT NULL DEFAULT 0,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','paid','void')),
        paid_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT invoices_number_key UNIQUE (number),
        CHECK (due_on >= issued_on),
        CHECK (paid >= 0 AND paid <= total),
        CHECK ((status = 'paid') = (paid = total))
      )`);
    await q.query(`CREATE INDEX invoices_customer_seq_idx ON invoices (customer_id, seq DESC)`);
    await q.query(`CREATE INDEX invoices_seq_idx ON invoices (seq DESC)`);
    // Open invoices by customer, covering what dunning batches, balances and statuses read.
    await q.query(`CREATE INDEX invoices_open_idx ON invoices (customer_id, due_on) INCLUDE (id, number, currency, total, paid) WHERE status = 'open'`);

    // Receivables by day, for the report: every change of `invoices` appends its effect to
    // `receivable_deltas` (insert-only: no hot rows for payments and imports to queue on); the worker
    // folds them into `receivable_totals` every few seconds; a report sums both. `open` is the unpaid
    // balance of open invoices by due date, `sales` the total of invoices that are not void by issue date.
    await q.query(`
      CREATE TABLE receivable_totals (
        kind text NOT NULL CHECK (kind IN ('open','sales')),
        currency text NOT NULL,
        day date NOT NULL,
        amount bigint NOT NULL,
        PRIMARY KEY (kind, currency, day)
      )`);
    await q.query(`
      CREATE TABLE receivable_deltas (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL,
        currency text NOT NULL,
        day date NOT NULL,
        amount bigint NOT NULL
      )`);
    await q.query(contextSql(RECEIVABLE_DELTAS_SQL));
    await createStatementTriggers(q, 'invoices', 'invoices_receivables', 'invoices_receivable_deltas');

    await q.query(`
      CREATE TABLE invoice_lines (
        invoice_id uuid NOT NULL,
        position int NOT NULL,
        description text NOT NULL,
        amount bigint NOT NULL,
        subscription_id uuid REFERENCES subscriptions(id),
        PRIMARY KEY (invoice_id, position)
      )`);

    await q.query(`
      CREATE TABLE invoice_payments (
        id uuid PRIMARY KEY,
        invoice_id uuid NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
        customer_id uuid NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        currency text NOT NULL,
        paid_on date NOT NULL,
        reference text NOT NULL,
        -- Paid while a collections suspension of the customer was in force: "recovered after suspension".
        after_suspension boolean NOT NULL DEFAULT false,
        actor_kind text NOT NULL CHECK (actor_kind IN ('staff','customer','system')),
        actor_id uuid,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT invoice_payments_reference_key UNIQUE (invoice_id, reference)
      )`);
    await q.query(`CREATE INDEX invoice_payments_recovered_idx ON invoice_payments (currency) INCLUDE (amount) WHERE after_suspension`);

    await q.query(`
      CREATE TABLE collections_policy_versions (
        version int PRIMARY KEY CHECK (version > 0),
        -- Invoices falling due on or after this date (and before the next version's) follow this version.
        effective_on date NOT NULL,
        timezone text NOT NULL,
        steps jsonb NOT NULL,
        minimum_amounts jsonb NOT NULL DEFAULT '[]',
        actor_kind text NOT NULL CHECK (actor_kind IN ('staff','customer','system')),
        actor_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE dunning_runs (
        id uuid PRIMARY KEY,
        trigger text NOT NULL CHECK (trigger IN ('manual','schedule','import')),
        as_of date,
        dry_run boolean NOT NULL DEFAULT false,
        customer_ids uuid[],
        status text NOT NULL CHECK (status IN ('queued','running','completed','failed')),
        result jsonb,
        error text,
        actor_kind text NOT NULL CHECK (actor_kind IN ('staff','customer','system')),
        actor_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX dunning_runs_created_idx ON dunning_runs (created_at DESC)`);

    await q.query(`
      CREATE TABLE billing_notices (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('remind','final_notice')),
        invoice_numbers text[] NOT NULL,
        amount_due bigint NOT NULL,
        currency text NOT NULL,
        policy_version int NOT NULL,
        step int NOT NULL,
        locale text NOT NULL CHECK (locale IN ('es','en')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX billing_notices_customer_idx ON billing_notices (customer_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE billing_suspensions (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        origin text NOT NULL CHECK (origin IN ('collections','manual')),
        -- NULL: every product.
        products text[],
        subscription_ids uuid[] NOT NULL,
        invoice_ids uuid[] NOT NULL DEFAULT '{}',
        policy_version int,
        step int,
        restore_requires text CHECK (restore_requires IN ('full','overdue')),
        reason text NOT NULL,
        status text NOT NULL CHECK (status IN ('active','cancelled','restored')),
        actor_kind text NOT NULL CHECK (actor_kind IN ('staff','customer','system')),
        actor_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- The restore (its id is the webhook-id of subscription.resume) or the cancellation.
        restore_id uuid,
        ended_reason text,
        ended_by_kind text,
        ended_by_id uuid,
        ended_at timestamptz,
        CHECK (origin = 'manual' OR (policy_version IS NOT NULL AND step IS NOT NULL AND restore_requires IS NOT NULL)),
        CHECK ((status = 'active') = (ended_at IS NULL))
      )`);
    await q.query(`CREATE INDEX billing_suspensions_customer_idx ON billing_suspensions (customer_id, created_at)`);
    await q.query(`CREATE INDEX billing_suspensions_active_idx ON billing_suspensions (customer_id) WHERE status = 'active'`);

    // The exactly-once record: one row per (invoice, policy version, step) ever applied.
    await q.query(`
      CREATE TABLE dunning_actions (
        invoice_id uuid NOT NULL,
        policy_version int NOT NULL,
        step int NOT NULL,
        action text NOT NULL CHECK (action IN ('remind','final_notice','suspend')),
        customer_id uuid NOT NULL,
        due_on date NOT NULL,
        run_id uuid,
        notice_id uuid,
        suspension_id uuid,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (invoice_id, policy_version, step)
      )`);

    await q.query(`
      CREATE TABLE provisioning_settings (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        delivery text NOT NULL DEFAULT 'manual' CHECK (delivery IN ('webhook','manual')),
        webhook_url text,
        secret text,
        timeout_ms int NOT NULL DEFAULT 10000 CHECK (timeout_ms > 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (delivery = 'manual' OR (webhook_url IS NOT NULL AND secret IS NOT NULL))
      )`);
    await q.query(`INSERT INTO provisioning_settings (id) VALUES (1)`);

    // What provisioning is told: subscription.suspend (id = the suspension's) or subscription.resume
    // (id = the restore's), by signed webhook or as a manual task.
    await q.query(`
      CREATE TABLE provisioning_actions (
        id uuid PRIMARY KEY,
        number bigint GENERATED ALWAYS AS IDENTITY,
        kind text NOT NULL CHECK (kind IN ('suspend','resume')),
        suspension_id uuid NOT NULL,
        customer_id uuid NOT NULL,
        subscriptions jsonb NOT NULL,
        mode text NOT NULL CHECK (mode IN ('webhook','manual')),
        status text NOT NULL CHECK (status IN ('pending','delivered','confirmed','failed','cancelled')),
        delivery_round int NOT NULL DEFAULT 0,
        last_error text,
        note text,
        confirmed_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await q.query(`CREATE INDEX provisioning_actions_status_idx ON provisioning_actions (status, number)`);
    await q.query(`CREATE INDEX provisioning_actions_suspension_idx ON provisioning_actions (suspension_id)`);

    await q.query(`
      CREATE TABLE provisioning_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        action_id uuid NOT NULL REFERENCES provisioning_actions(id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        http_status int,
        error text,
        duration_ms int NOT NULL
      )`);
    await q.query(`CREATE INDEX provisioning_attempts_action_idx ON provisioning_attempts (action_id, id)`);

    await q.query(`
      CREATE TABLE billing_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        customer_id uuid NOT NULL,
        type text NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('staff','customer','system')),
        actor_id uuid,
        data jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX billing_events_customer_idx ON billing_events (customer_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [op] of TRANSITIONS) {
      await q.query(`DROP TRIGGER invoices_receivables_${op} ON invoices`);
      await q.query(`DROP TRIGGER subscriptions_suspension_${op} ON subscriptions`);
    }
    await q.query('DROP FUNCTION invoices_receivable_deltas()');
    await q.query('DROP FUNCTION subscriptions_suspension_deltas()');
    for (const table of [
      'billing_events',
      'provisioning_attempts',
      'provisioning_actions',
      'provisioning_settings',
      'dunning_actions',
      'billing_suspensions',
      'billing_notices',
      'dunning_runs',
      'collections_policy_versions',
      'invoice_payments',
      'invoice_lines',
      'invoices',
      'receivable_deltas',
      'receivable_totals',
      'subscription_status_changes',
      'suspension_deltas',
      'suspension_totals',
      'subscriptions',
      'billing_accounts',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
