import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A bearer token. Only its SHA-256 is stored; the token itself is shown once. */
@Entity('api_tokens')
export class ApiToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Column({ type: 'text' })
  kind: 'staff' | 'customer';

  @Column({ type: 'uuid', nullable: true })
  agentId: string | null;

  @Column({ type: 'uuid', nullable: true })
  customerId: string | null;

  /** The token's first characters (`hds_AbCd1234`), to tell tokens apart; null for tokens issued before it was kept. */
  @Column({ type: 'text', nullable: true })
  tokenPrefix: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Written at most once a minute per token (TokenUsage), so within a minute of the last use. */
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
