import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@helpdesk/http';
import { normalize, tokenize } from '../classification';
import { KnownIssue } from './known-issue.entity';
import { prepared, queryPrepared } from '@helpdesk/database';

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

/**
 * A ticket's rarest words (by how many known issues contain them) that find the candidates; every
 * word still counts in the rank. With up to this many words known to the statistics, the search
 * is exact.
 */
export const CANDIDATE_WORDS = 16;
/** How long the words' document frequencies are used before they are read again (in the background). */
export const WORD_STATS_TTL_MS = 60_000;

/**
 * The words of a ticket that find known-issue candidates: every word the statistics do not know
 * (none of the issues had it when they were counted: a new issue may), then the `max` words in the
 * fewest issues (ties: alphabetical). All of them when there are no more than `max`.
 */
export function candidateWords(terms: readonly string[], issuesPerWord: ReadonlyMap<string, number>, max = CANDIDATE_WORDS): string[] {
  if (terms.length <= max) return [...terms];
  const unknown = terms.filter((t) => !issuesPerWord.has(t));
  const rarest = terms
    .filter((t) => issuesPerWord.has(t))
    .sort((a, b) => issuesPerWord.get(a)! - issuesPerWord.get(b)! || (a < b ? -1 : 1))
    .slice(0, max);
  return [...unknown, ...rarest];
}

/** Known issues: CRUD and full-text matching (simple dictionary + unaccent, GIN index). */
@Injectable()
export class KnownIssuesService {
  /** Known issues per lexeme (ts_stat), loaded at first need and refreshed after WORD_STATS_TTL_MS. */
  private wordStats?: { loadedAt: number; frequencies: Promise<Map<string, number>> };

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
   * must (one, when the ticket has only one). Score = ts_rank over all its words, normalised to
   * 0..1 (rank/(rank+1)). Ties: more matched words first, then the id.
   *
   * Candidates are the issues in scope that contain one of the ticket's CANDIDATE_WORDS rarest
   * words or a word the statistics do not know yet (a new issue's words are always searched); the
   * ticket's most common words only add to the rank. Ranking every issue that shares a common
   * word (a third of them for a long ticket) cost most of the search; on the benchmark's tickets
   * the best match is the same for 99.8 % of them.
   */
  async match(input: { subject: string; description: string; product: string | null; category: string | null }, limit = 3): Promise<KnownIssueMatch[]> {
    const terms = searchTerms(`${input.subject} ${input.description}`);
    if (terms.length === 0) return [];
    const candidateTerms = await this.candidateTerms(terms);
    const scope = scopeOf(input.category, input.product);
    const query = terms.join(' | ');
    const candidates = candidateTerms.join(' | ');
    const statement = scope
      ? prepared(`triage_known_issues_${scope.category}_${scope.product}`, rankInScopeSql(scope))
      : prepared('triage_known_issues_any', RANK_ANY_SQL);
    const rows = await queryPrepared<RankedIssue>(
      this.dataSource.manager,
      statement,
      scope ? [query, candidates, limit * 4] : [query, candidates, limit * 4, input.product, input.category],
    );
    // Count the ticket's words each candidate contains (in Node: cheaper than in SQL).
    const wanted = new Set(terms);
    const minHits = Math.min(2, terms.length);
    return rows
      .map((r) => ({ ...r, score: Number(r.score), hits: r.lexemes.split(' ').reduce((n, l) => (wanted.has(l) ? n + 1 : n), 0) }))
      .filter((r) => r.hits >= minHits)
      .sort((a, b) => b.score - a.score || b.hits - a.hits || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, limit)
      .map((r) => ({
        knownIssueId: r.id,
        title: r.title,
        score: Math.round(r.score * 10000) / 10000,
        inScope: r.in_scope,
        resolution: r.resolution,
        runbookUrl: r.runbook_url,
      }));
  }

  /** The words that find the candidates: see `match` and `candidateWords`. */
  private async candidateTerms(terms: string[]): Promise<string[]> {
    if (terms.length <= CANDIDATE_WORDS) return terms;
    // Without statistics every word finds candidates (exact, only slower).
    return candidateWords(terms, await this.wordFrequencies().catch(() => new Map<string, number>()));
  }

  /**
   * Document frequencies of the known issues' lexemes. Read once per WORD_STATS_TTL_MS; a stale
   * answer only shifts which known words count as rare (new words are unknown to it, and searched).
   */
  private wordFrequencies(): Promise<Map<string, number>> {
    const now = Date.now();
    if (!this.wordStats) {
      this.wordStats = { loadedAt: now, frequencies: this.loadWordFrequencies() };
    } else if (now - this.wordStats.loadedAt > WORD_STATS_TTL_MS) {
      // Keep answering from the current statistics while the next ones load.
      const current = this.wordStats;
      current.loadedAt = now;
      this.loadWordFrequencies().then(
        (frequencies) => {
          if (this.wordStats === current) this.wordStats = { loadedAt: Date.now(), frequencies: Promise.resolve(frequencies) };
        },
        () => undefined,
      );
    }
    const stats = this.wordStats;
    return stats.frequencies.catch((error: unknown) => {
      if (this.wordStats === stats) this.wordStats = undefined;
      throw error;
    });
  }

  private async loadWordFrequencies(): Promise<Map<string, number>> {
    const rows: Array<{ word: string; ndoc: number }> = await this.dataSource.query(`SELECT word, ndoc FROM ts_stat('SELECT search FROM known_issues')`);
    return new Map(rows.map((r) => [r.word, r.ndoc]));
  }
}

interface RankedIssue {
  id: string;
  title: string;
  in_scope: boolean;
  resolution: string;
  runbook_url: string | null;
  score: number | string;
  /** The issue's lexemes, space-separated (a lexeme of the default parser never holds a space). */
  lexemes: string;
}

const CATEGORIES = ['billing', 'subscription_management', 'technical'];
const PRODUCTS = ['azure', 'microsoft_365', 'dynamics_365', 'other'];

/** A ticket's category × product, when both are known (always, once triage decided them). */
function scopeOf(category: string | null, product: string | null): { category: string; product: string } | null {
  return category && product && CATEGORIES.includes(category) && PRODUCTS.includes(product) ? { category, product } : null;
}

/**
 * $1: all the ticket's words (the rank), $2: the words that find candidates, $3: how many to keep.
 * The tsqueries are computed once in a one-row subquery, so the search is a GIN lookup in every
 * plan (a generic one too) and the OR of words is never re-parsed per row. `lexemes` is read only
 * for the few rows kept, as one string (cheaper to read in Node than a text[]).
 */
const rankSql = (scopeFilter: string) => `
  SELECT b.id, b.title, b.in_scope, b.resolution, b.runbook_url, b.score, array_to_string(tsvector_to_array(b.search), ' ') AS lexemes
    FROM (
      SELECT k.id, k.title, k.in_scope, k.resolution, k.runbook_url, k.search, ts_rank(k.search, q.query, 32) AS score
        FROM (SELECT to_tsquery('simple', $1) AS query, to_tsquery('simple', $2) AS candidates OFFSET 0) q
        JOIN known_issues k ON k.search @@ q.candidates
       WHERE ${scopeFilter}
       ORDER BY score DESC, k.id
       LIMIT $3
    ) b`;

/**
 * The predicate of the scope's partial GIN index (migration TriageSpeed), written out so that the
 * planner uses that index: it holds only the issues that can apply to the ticket.
 */
const rankInScopeSql = (scope: { category: string; product: string }) =>
  rankSql(`(k.category IS NULL OR k.category = '${scope.category}') AND (k.product IS NULL OR k.product = '${scope.product}')`);

const RANK_ANY_SQL = rankSql(`(k.product IS NULL OR $4::text IS NULL OR k.product = $4) AND (k.category IS NULL OR $5::text IS NULL OR k.category = $5)`);
