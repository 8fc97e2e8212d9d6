import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { AgentsService, hasRole, Principal, StaffPrincipal, StaffRole } from '@helpdesk/auth';
import { DomainError, DomainErrorCode, FieldErrorCode } from '@helpdesk/http';
import { MacroInput, MacroPatch, MacroRow, MacroView, toMacroView } from './macro';
import { checkMacroBody } from './macro-template';

/** Who makes and changes shared macros; every ticket worker uses them. */
const SHARED_MACRO_ROLES: readonly StaffRole[] = [StaffRole.GlobalAdmin, StaffRole.AdminAgent];

/**
 * Macros (canned responses): personal ones belong to their owner alone (another agent's is a 404),
 * shared ones are used by every ticket worker and made or changed by admin_agent and global_admin.
 * Every change is audited (entity `macro`) in its own transaction.
 */
@Injectable()
export class MacrosService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly agents: AgentsService,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, input: MacroInput): Promise<MacroView> {
    const staff = this.staff(principal);
    await this.check(staff, input);
    return this.dataSource.transaction(async (manager) => {
      const [row] = await this.write(input.name, () =>
        manager.query(
          `INSERT INTO macros (name, scope, visibility, owner_id, bodies, actions) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          [input.name, input.scope, input.visibility, staff.agentId, JSON.stringify(input.bodies), JSON.stringify(input.actions)],
        ),
      );
      const view = toMacroView(row);
      await this.audit.record(manager, { entity: 'macro', entityId: view.id, action: 'created', before: null, after: view });
      return view;
    });
  }

  /** The shared macros and the caller's own, by name. */
  async list(principal: Principal): Promise<MacroView[]> {
    const staff = this.staff(principal);
    const rows: MacroRow[] = await this.dataSource.query(
      `SELECT * FROM macros WHERE scope = 'shared' OR owner_id = $1 ORDER BY lower(name), scope, id`,
      [staff.agentId],
    );
    return rows.map(toMacroView);
  }

  async get(principal: Principal, id: string, manager: EntityManager = this.dataSource.manager): Promise<MacroView> {
    return toMacroView(await this.usable(manager, this.staff(principal), id));
  }

  async update(principal: Principal, id: string, patch: MacroPatch): Promise<MacroView> {
    const staff = this.staff(principal);
    return this.dataSource.transaction(async (manager) => {
      const before = toMacroView(await this.usable(manager, staff, id, true));
      this.assertMayChange(staff, before);
      const input: MacroInput = {
        name: patch.name ?? before.name,
        bodies: { es: patch.bodies?.es ?? before.bodies.es, en: patch.bodies?.en ?? before.bodies.en },
        visibility: patch.visibility ?? before.visibility,
        scope: patch.scope ?? before.scope,
        actions: patch.actions ?? before.actions,
      };
      await this.check(staff, input);
      const [row] = await this.write(input.name, () =>
        manager.query(
          // As a SELECT: TypeORM answers a bare UPDATE with [rows, count], not the rows.
          `WITH u AS (UPDATE macros SET name = $2, scope = $3, visibility = $4, bodies = $5, actions = $6, updated_at = now() WHERE id = $1 RETURNING *) SELECT * FROM u`,
          [id, input.name, input.scope, input.visibility, JSON.stringify(input.bodies), JSON.stringify(input.actions)],
        ),
      );
      const after = toMacroView(row);
      await this.audit.record(manager, { entity: 'macro', entityId: id, action: 'updated', before, after });
      return after;
    });
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const staff = this.staff(principal);
    await this.dataSource.transaction(async (manager) => {
      const before = toMacroView(await this.usable(manager, staff, id, true));
      this.assertMayChange(staff, before);
      await manager.query(`DELETE FROM macros WHERE id = $1`, [id]);
      await this.audit.record(manager, { entity: 'macro', entityId: id, action: 'deleted', before, after: null });
    });
  }

  /** A macro the caller may use: shared, or their own (404 otherwise, as if it did not exist). */
  private async usable(manager: EntityManager, staff: StaffPrincipal, id: string, lock = false): Promise<MacroRow> {
    const [row]: MacroRow[] = await manager.query(`SELECT * FROM macros WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    if (!row || (row.scope === 'personal' && row.owner_id !== staff.agentId)) throw DomainError.notFound('Macro', id);
    return row;
  }

  /** Bodies hold only known placeholders; a shared macro needs an admin; an assignee must exist. */
  private async check(staff: StaffPrincipal, input: MacroInput): Promise<void> {
    checkMacroBody(input.bodies.es, 'bodies.es');
    checkMacroBody(input.bodies.en, 'bodies.en');
    if (input.scope === 'shared' && !hasRole(staff, SHARED_MACRO_ROLES)) {
      throw new DomainError(DomainErrorCode.Forbidden, `Shared macros are made by ${SHARED_MACRO_ROLES.join(' or ')}`, {
        errors: [{ field: 'scope', message: 'shared needs the role admin_agent or global_admin; make it personal', code: FieldErrorCode.NotAllowed }],
      });
    }
    const assigneeId = input.actions.assigneeId;
    if (assigneeId && !(await this.agents.displayNames([assigneeId])).has(assigneeId)) {
      throw DomainError.invalid('actions.assigneeId', `no agent has the id ${assigneeId}`, FieldErrorCode.UnknownId);
    }
  }

  /** A personal macro is changed by its owner; a shared one by an admin (the same roles that make one). */
  private assertMayChange(staff: StaffPrincipal, macro: MacroView): void {
    if (macro.scope === 'shared' && !hasRole(staff, SHARED_MACRO_ROLES)) {
      throw new DomainError(DomainErrorCode.Forbidden, `Shared macros are changed by ${SHARED_MACRO_ROLES.join(' or ')}`);
    }
  }

  private async write(name: string, statement: () => Promise<MacroRow[]>): Promise<MacroRow[]> {
    try {
      return await statement();
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new DomainError(DomainErrorCode.Conflict, `A macro named "${name}" exists already`, { errors: [{ field: 'name', message: 'is taken (among the shared macros, or among yours)', code: FieldErrorCode.Taken }] });
      }
      throw error;
    }
  }

  private staff(principal: Principal): StaffPrincipal {
    if (principal.kind !== 'staff') throw new DomainError(DomainErrorCode.Forbidden, 'Macros are for staff');
    return principal;
  }
}
