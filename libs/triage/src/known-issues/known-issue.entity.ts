import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A documented problem with its resolution; matched against tickets by full-text search. */
@Entity('known_issues')
export class KnownIssue {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  title: string;

  @Column()
  symptoms: string;

  @Column({ type: 'text', nullable: true })
  product: string | null;

  @Column({ type: 'text', nullable: true })
  category: string | null;

  @Column()
  resolution: string;

  @Column({ type: 'text', nullable: true })
  runbookUrl: string | null;

  /** Within the partner's baseline support; out-of-scope issues are escalation candidates. */
  @Column()
  inScope: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
