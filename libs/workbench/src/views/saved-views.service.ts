import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { AgentsService, hasRole, StaffPrincipal, StaffRole } from '@helpdesk/auth';
import { DomainError, DomainErrorCode, FieldErrorCode, isUuid } from '@helpdesk/http';
import { TicketFilter, TicketPage, TicketsService } from '@helpdesk/intake';
import { countSelected, TicketCounterRow, TicketCounters } from '@helpdesk/monitoring';
import { SlaHorizonService } from '@helpdesk/triage';
import { BUILT_IN_VIEWS, BuiltInView } from './built-in-views';
import { SharedCounts } from './shared-counts';
import { counterSelection, isOpenOf, ticketFilterFor, ViewFilter, Viewer, ViewSort } from './view-filter';

export type ViewVisibility = 'personal' | 'shared';

/** A view as the API shows it, with how many tickets it holds now. */
export interface SavedView {
  id: string;
  kind: 'built-in' | ViewVisibility;
  name: string;
  /** Built-in views: the name in each language. */
  names?: { en: string; es: string };
  filter: ViewFilter;
  sort: ViewSort;
  ownerId: string | null;
  createdBy: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  /** Tickets in the view now, counted up to VIEW_COUNT_CAP. */
  count: number;
  /** True when there are at least VIEW_COUNT_CAP (`count` is then the cap). */
  countCapped: boolean;
}

export interface NewView {
  name: string;
  visibility: ViewVisibility;
  filter: ViewFilter;
  sort: ViewSort;
}

export interface ViewPatch {
  name?: string;
  filter?: ViewFilter;
  sort?: ViewSort;
}

/**
 * A view's count stops here: enough to tell a work queue's size exactly, and "1,000+" for a list
 * like all closed tickets or a common word, whose exact size costs a scan of much of the table (the
 * cost of a capped count grows with the cap: `GET /views` counts every view on each call).
 */
export const VIEW_COUNT_CAP = 1_000;
/** Per agent, and in all, so that GET /views (every view with its count) stays fast. */
export const MAX_PERSONAL_VIEWS = 50;
export const MAX_SHARED_VIEWS = 50;

const SHARED_VIEW_EDITORS = [StaffRole.AdminAgent];

interface ViewRow {
  id: string;
  name: string;
  visibility: ViewVisibility;
  owner_id: string | null;
  filter: ViewFilter;
  sort: ViewSort;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const iso = (d: Date) => new Date(d).toISOString();

/** Who counts, and what the writes' counters say now (read once per request, when a view needs them). */
interface Counting {
  viewer: Viewer;
  /** The viewer's open tickets (`agents.open_tickets`). */
  openTickets: number;
  counterRows: () => Promise<TicketCounterRow[]>;
}

/**
 * Saved views: a named filter and sort, personal (its owner's alone) or shared (every agent sees
 * it; admin_agent and global_admin make and change them), and the built-in views every agent has.
 */
@Injectable()
export class SavedViewsService {
  private readonly logger = new Logger(SavedViewsService.name);
  /** The counts that are counted in `tickets` (a search, tags, a customer, breaching soon…), shared across callers for a second. */
  private readonly shared = new SharedCounts({
    onBackgroundError: (error) => this.logger.warn(`A view's count made behind a request failed: ${error instanceof Error ? error.message : String(error)}`),
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ticketsService: TicketsService,
    private readonly agents: AgentsService,
    private readonly horizons: SlaHorizonService,
    private readonly audit: AuditService,
    private readonly counters: TicketCounters,
  ) {}

  /**
   * Built-in, then shared, then the caller's personal views, each with its live count: the caller's
   * row, the views and the counters in three statements at once, whatever the views; the counts the
   * counters cannot give are shared across callers for a second (`countOf`).
   */
  async list(principal: StaffPrincipal): Promise<SavedView[]> {
    // Every agent has the built-in views, which the counters answer: read them alongside.
    const rows = this.counters.rows();
    rows.catch(() => undefined); // awaited below; not unhandled if the statements beside it fail first
    const [counting, views] = await Promise.all([this.counting(principal, () => rows), this.listUncounted(principal)]);
    return Promise.all(views.map((v) => this.withCount(principal, counting, v)));
  }

  /**
   * The same views without their counts: one small read instead of a count per view, for a screen
   * that shows the names at once and the counts when they come.
   */
  async listUncounted(principal: StaffPrincipal): Promise<Array<Omit<SavedView, 'count' | 'countCapped'>>> {
    const rows: ViewRow[] = await this.dataSource.query(
      `SELECT * FROM saved_views WHERE visibility = 'shared' OR owner_id = $1 ORDER BY visibility DESC, lower(name), id`,
      [principal.agentId],
    );
    return [...BUILT_IN_VIEWS.map(builtIn), ...rows.map(saved)];
  }

  async get(principal: StaffPrincipal, id: string): Promise<SavedView> {
    return this.withCount(principal, await this.counting(principal), await this.find(principal, id));
  }

  /** A page of the view's tickets, in its sort, with the same cursors as GET /tickets. */
  async tickets(principal: StaffPrincipal, id: string, page: { limit?: number; cursor?: string }): Promise<TicketPage> {
    const view = await this.find(principal, id);
    const filter = await this.ticketFilter(view.filter, (await this.counting(principal)).viewer);
    return this.ticketsService.list(principal, { ...filter, sort: view.sort, limit: page.limit, cursor: page.cursor });
  }

  async create(principal: StaffPrincipal, input: NewView): Promise<SavedView> {
    assertSortFits(input.sort, input.filter);
    if (input.visibility === 'shared') this.assertMayEditShared(principal, 'visibility');
    const created = await this.dataSource.transaction(async (manager) => {
      await this.assertRoom(manager, principal, input.visibility);
      const [row]: ViewRow[] = await this.write(input.name, () =>
        manager.query(
          `INSERT INTO saved_views (name, visibility, owner_id, filter, sort, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          [input.name, input.visibility, input.visibility === 'personal' ? principal.agentId : null, JSON.stringify(input.filter), input.sort, principal.agentId],
        ),
      );
      if (row.visibility === 'shared') await this.recordSharedViewChange(manager, 'created', null, row);
      return row;
    });
    return this.withCount(principal, await this.counting(principal), saved(created));
  }

  async update(principal: StaffPrincipal, id: string, patch: ViewPatch): Promise<SavedView> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const before = await this.ownRow(manager, principal, id);
      assertSortFits(patch.sort ?? before.sort, patch.filter ?? before.filter);
      // TypeORM answers an UPDATE with [rows, affected].
      const [[row]]: [ViewRow[], number] = await this.write(patch.name ?? before.name, () =>
        manager.query(
          `UPDATE saved_views SET name = COALESCE($2, name), filter = COALESCE($3::jsonb, filter), sort = COALESCE($4, sort), updated_at = now()
            WHERE id = $1 RETURNING *`,
          [id, patch.name ?? null, patch.filter === undefined ? null : JSON.stringify(patch.filter), patch.sort ?? null],
        ),
      );
      if (row.visibility === 'shared') await this.recordSharedViewChange(manager, 'updated', before, row);
      return row;
    });
    return this.withCount(principal, await this.counting(principal), saved(updated));
  }

  async remove(principal: StaffPrincipal, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.ownRow(manager, principal, id);
      await manager.query(`DELETE FROM saved_views WHERE id = $1`, [id]);
      if (before.visibility === 'shared') await this.recordSharedViewChange(manager, 'deleted', before, null);
    });
  }

  /**
   * A shared view is configuration every agent works with: its changes go to the audit log, inside
   * the change's transaction. A personal view is its owner's own business and is not audited.
   */
  private async recordSharedViewChange(manager: EntityManager, action: 'created' | 'updated' | 'deleted', before: ViewRow | null, after: ViewRow | null): Promise<void> {
    const id = (after ?? before)!.id;
    await this.audit.record(manager, { entity: 'saved_view', entityId: id, action, before: before && saved(before), after: after && saved(after) });
  }

  private async withCount(principal: StaffPrincipal, counting: Counting, view: Omit<SavedView, 'count' | 'countCapped'>): Promise<SavedView> {
    const count = Math.min(await this.countOf(principal, counting, view.filter), VIEW_COUNT_CAP);
    return { ...view, count, countCapped: count >= VIEW_COUNT_CAP };
  }

  /**
   * A view's count. What the writes' own counters hold is read from them, exact at once and at the
   * same cost however many tickets there are or how many of their pages a vacuum has yet to mark
   * all-visible: the viewer's open tickets, and any filter of statuses, queues, priorities and
   * "unassigned" alone (the queue counters). Anything else (a search, tags, a customer, a category,
   * another agent's tickets, breaching soon, which depends on the clock) is counted in `tickets`,
   * once per distinct filter for every caller, and answered for a second as it was (never a count
   * of the tickets of more than 2 s ago: `SharedCounts`).
   */
  private async countOf(principal: StaffPrincipal, counting: Counting, filter: ViewFilter): Promise<number> {
    const sla = filter.slaDueWithinBusinessMinutes;
    const resolved = ticketFilterFor(filter, counting.viewer);
    if (sla === undefined) {
      if (isOpenOf(resolved, counting.viewer.agentId)) return counting.openTickets;
      const selection = counterSelection(resolved);
      if (selection) return countSelected(await counting.counterRows(), selection);
    }
    // What a count in `tickets` depends on besides the filter: a search reads what the caller's roles may read.
    const key = JSON.stringify([sla ?? null, resolved.q ? [...principal.roles].sort() : null, resolved]);
    const viewer = counting.viewer;
    return this.shared.get(key, async () => this.ticketsService.count(principal, await this.ticketFilter(filter, viewer), VIEW_COUNT_CAP));
  }

  private async ticketFilter(filter: ViewFilter, viewer: Viewer): Promise<TicketFilter> {
    const minutes = filter.slaDueWithinBusinessMinutes;
    if (minutes === undefined) return ticketFilterFor(filter, viewer);
    const now = new Date();
    return ticketFilterFor(filter, viewer, { from: now, untilByPlan: await this.horizons.horizons(now, minutes) });
  }

  /** The caller's queues and open tickets (one statement); the counters when a view first needs them. */
  private async counting(principal: StaffPrincipal, counterRows?: () => Promise<TicketCounterRow[]>): Promise<Counting> {
    const { queues, openTickets } = await this.agents.workload(principal.agentId);
    let rows: Promise<TicketCounterRow[]> | undefined;
    return { viewer: { agentId: principal.agentId, queues }, openTickets, counterRows: counterRows ?? (() => (rows ??= this.counters.rows())) };
  }

  /** A built-in view, a shared one, or one of the caller's own; anything else does not exist for them. */
  private async find(principal: StaffPrincipal, id: string): Promise<Omit<SavedView, 'count' | 'countCapped'>> {
    const builtInView = BUILT_IN_VIEWS.find((v) => v.id === id);
    if (builtInView) return builtIn(builtInView);
    const row = await this.visibleRow(this.dataSource.manager, principal, id);
    return saved(row);
  }

  private async visibleRow(manager: EntityManager, principal: StaffPrincipal, id: string, lock = false): Promise<ViewRow> {
    if (!isUuid(id)) throw DomainError.notFound('View', id);
    const [row]: ViewRow[] = await manager.query(
      `SELECT * FROM saved_views WHERE id = $1 AND (visibility = 'shared' OR owner_id = $2)${lock ? ' FOR UPDATE' : ''}`,
      [id, principal.agentId],
    );
    if (!row) throw DomainError.notFound('View', id);
    return row;
  }

  /** A view the caller may change: their own personal view, or a shared one for admins. */
  private async ownRow(manager: EntityManager, principal: StaffPrincipal, id: string): Promise<ViewRow> {
    if (BUILT_IN_VIEWS.some((v) => v.id === id)) throw new DomainError(DomainErrorCode.Forbidden, `The built-in view ${id} cannot be changed`);
    const row = await this.visibleRow(manager, principal, id, true);
    if (row.visibility === 'shared') this.assertMayEditShared(principal);
    return row;
  }

  private assertMayEditShared(principal: StaffPrincipal, field?: string): void {
    if (hasRole(principal, SHARED_VIEW_EDITORS)) return;
    throw new DomainError(DomainErrorCode.Forbidden, 'Shared views are made and changed by admin_agent or global_admin', {
      ...(field ? { errors: [{ field, message: 'shared needs the role admin_agent or global_admin', code: FieldErrorCode.NotAllowed }] } : {}),
    });
  }

  private async assertRoom(manager: EntityManager, principal: StaffPrincipal, visibility: ViewVisibility): Promise<void> {
    const [{ n }]: Array<{ n: number }> =
      visibility === 'personal'
        ? await manager.query(`SELECT count(*)::int AS n FROM saved_views WHERE owner_id = $1`, [principal.agentId])
        : await manager.query(`SELECT count(*)::int AS n FROM saved_views WHERE visibility = 'shared'`);
    const max = visibility === 'personal' ? MAX_PERSONAL_VIEWS : MAX_SHARED_VIEWS;
    if (n >= max) {
      throw new DomainError(DomainErrorCode.Conflict, `There are already ${max} ${visibility} views${visibility === 'personal' ? ' of yours' : ''}; delete one first`);
    }
  }

  /** Runs the write; a name already taken (in the caller's personal views, or among shared ones) is a 409 naming `name`. */
  private async write<T>(name: string, statement: () => Promise<T>): Promise<T> {
    try {
      return await statement();
    } catch (error) {
      const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;
      if (code === '23505') {
        throw new DomainError(DomainErrorCode.Conflict, `A view named "${name}" exists already`, { errors: [{ field: 'name', message: 'is taken', code: FieldErrorCode.Taken }] });
      }
      throw error;
    }
  }
}

/** Relevance ranks search matches: a view sorted by it needs a search. */
function assertSortFits(sort: ViewSort, filter: ViewFilter): void {
  if (sort === 'relevance' && !filter.q) throw DomainError.invalid('sort', 'relevance needs a search: filter.q', FieldErrorCode.NeedsSearch);
}

function builtIn(view: BuiltInView): Omit<SavedView, 'count' | 'countCapped'> {
  return { id: view.id, kind: 'built-in', name: view.names.en, names: view.names, filter: view.filter, sort: view.sort, ownerId: null, createdBy: null, createdAt: null, updatedAt: null };
}

function saved(row: ViewRow): Omit<SavedView, 'count' | 'countCapped'> {
  return {
    id: row.id,
    kind: row.visibility,
    name: row.name,
    filter: row.filter,
    sort: row.sort,
    ownerId: row.owner_id,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
