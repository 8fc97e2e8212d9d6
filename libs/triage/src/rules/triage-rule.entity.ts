import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { RuleActions, RuleConditions } from './triage-rule';

/** A stored triage rule; the engine (rule-engine.ts) evaluates its plain-data form. */
@Entity('triage_rules')
export class TriageRule {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  name: string;

  @Column('int')
  position: number;

  @Column()
  enabled: boolean;

  @Column()
  stopOnMatch: boolean;

  @Column('jsonb')
  conditions: RuleConditions;

  @Column('jsonb')
  actions: RuleActions;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
