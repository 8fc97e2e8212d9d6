import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { StaffRole } from './roles';

/** A member of the partner's staff. */
@Entity('agents')
export class Agent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  name: string;

  /** Stored lower-cased; unique. */
  @Column()
  email: string;

  @Column('text', { array: true })
  roles: StaffRole[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
