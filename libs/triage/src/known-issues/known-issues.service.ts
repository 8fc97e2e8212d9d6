import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@helpdesk/http';
import { normalize, tokenize } from '../classification';
import { KnownIssue } from './known-issue.entity';

export type KnownIssueInput = Pick<KnownIssue, 'title' | 'symptoms' | 'product' | 'category' | 'resolution' | 'runbookUrl' | 'inScope'>;

export interface KnownIssueView extends KnownIssueInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export interface KnownIssueMatch {
  knownIssueId: string;
  title: string;
  score: number;
  inScope: boolean;
  resolution: string;
  runbookUrl: string | null;
}

const toView = (k: KnownIssue): KnownIssueView => ({
  id: k.id,
  title: k.title,
  symptoms: k.symptoms,
  product: k.product,
  category: k.category,
  resolution: k.resolution,
  runbookUrl: k.runbookUrl,
  inScope: k.inScope,
  createdAt: k.createdAt.toISOString(),
  updatedAt: k.updatedAt.toISOString(),
});

/** Words too common in English and Spanish tickets to say anything about a known issue. */
const STOPWORDS = new Set(
  `the and for are but not you all any can had her was one our out has have this that with from they will would there their what when which who how
   why where been being into than then them these those some such only also very just more most other over under again your yours we us our its
   please hello thanks thank regards dear team issue problem error since today yesterday morning
   los las una unos unas por para con sin que del als pero como cuando donde esta este esto estos estas son han hay muy mas todo todos toda todas
   nos nuestro nuestra usted ustedes hola gracias saludos buenos buenas dias tardes desde hoy ayer manana problema error`.split(/\s+/),
);

/** The distinct, meaningful words of a ticket as an OR query for to_tsquery('simple', …). */
export function searchTerms(text: string, max = 32): string[] {
  const terms: string[] = [];
  for (const token of tokenize(normalize(text))) {
    if (token.length < 3 || STOPWORDS.has(token) || /^\d+$/.test(token) || terms.includes(token)) continue;
    terms.push(token);
    if (terms.length >= max) break;
  }
  return terms;
}

/** Known issues: CRUD and full-text matching (simple dictionary + unaccent, GIN index). */
@Injectable()
export class KnownIssuesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(input: KnownIssueInput): Promise<KnownIssueView> {
    const repo = this.dataSource.getRepository(KnownIssue);
    return toView(await repo.save(repo.create(input)));
  }

  async update(id: string, patch: Partial<KnownIssueInput>): Promise<KnownIssueView> {
    const repo = this.dataSource.getRepository(KnownIssue);
    const issue = await repo.findOne({ where: { id } });
    if (!issue) throw DomainError.notFound('Known issue', id);
    Object.assign(issue, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    return toView(await repo.save(issue));
  }

  async remove(id: string): Promise<void> {
    const result = await this.dataSource.getRepository(KnownIssue).delete({ id });
    if (!result.affected) throw DomainError.notFound('Known issue', id);
  }

  async get(id: string): Promise<KnownIssueView> {
    const issue = await this.dataSource.getRepository(KnownIssue).findOne({ where: { id } });
    if (!issue) throw DomainError.notFound('Known issue', id);
    return toView(issue);
  }

  async list(): Promise<KnownIssueView[]> {
    return (await this.dataSource.getRepository(KnownIssue).find({ order: { title: 'ASC' } })).map(toView);
  }

  /**
   * The best known issues for a ticket's text: any of its meaningful words may match; at least two
   * must (one, when the ticket has only one). Score = ts_rank normalised to 0..1 (rank/(rank+1)).
   */
  async match(
    input: { subject: string; description: string; product: string | null; category: string | null },
    limit = 3,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<KnownIssueMatch[]> {
    const terms = searchTerms(`${input.subject} ${input.description}`);
    if (terms.length === 0) return [];
    // Rank every match by ts_rank (GIN finds them), then count matched words only for the best few.
    const rows: Array<{ id: string; title: string; in_scope: boolean; resolution: string; runbook_url: string | null; score: number; hits: number }> =
      await manager.query(
        `SELECT id, title, in_scope, resolution, runbook_url, score, hits FROM (
           SELECT b.*, (SELECT count(*) FROM unnest(tsvector_to_array(b.search)) AS l(lexeme) WHERE l.lexeme = ANY($2::text[]))::int AS hits
             FROM (
               SELECT k.id, k.title, k.in_scope, k.resolution, k.runbook_url, k.search, ts_rank(k.search, q, 32) AS score
                 FROM known_issues k, to_tsquery('simple', $1) AS q
                WHERE k.search @@ q
                  AND (k.product IS NULL OR $3::text IS NULL OR k.product = $3)
                  AND (k.category IS NULL OR $4::text IS NULL OR k.category = $4)
                ORDER BY score DESC, k.id
                LIMIT $7
             ) b
         ) m
         WHERE hits >= $5
         ORDER BY score DESC, hits DESC, id
         LIMIT $6`,
        [terms.join(' | '), terms, input.product, input.category, Math.min(2, terms.length), limit, limit * 4],
      );
    return rows.map((r) => ({
      knownIssueId: r.id,
      title: r.title,
      score: Math.round(Number(r.score) * 10000) / 10000,
      inScope: r.in_scope,
      resolution: r.resolution,
      runbookUrl: r.runbook_url,
    }));
  }
}
