import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One of the partner's clients, on one support plan. */
@Entity('customers')
export class Customer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  name: string;

  /** Lower-cased, unique. */
  @Column()
  domain: string;

  @Column('uuid')
  supportPlanId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
