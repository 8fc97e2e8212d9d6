import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { DomainError } from '@helpdesk/http';
import { normalize, normalizeFields, words } from '../classification';
import { KnownIssue } from './known-issue.entity';
import { prepared, queryPrepared } from '@helpdesk/database';
import { MicroBatcher } from '@helpdesk/queue';

export type KnownIssueInput = Pick<KnownIssue, 'title' | 'symptoms' | 'product' | 'category' | 'resolution' | 'runbookUrl' | 'inScope'>;

export interface KnownIssueView extends KnownIssueInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

/** What a known-issue search needs of a ticket. */
export interface KnownIssueQuery {
  subject: string;
  description: string;
  product: string | null;
  category: string | null;
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
  return searchTermsOf(normalize(text), max);
}

/** `searchTerms` of a text already normalised (`normalize` or `normalizeFields`). */
export function searchTermsOf(normalized: string, max = 32): string[] {
  const terms: string[] = [];
  for (const token of words(normalized)) {
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
  /** The searches of the triages running at the same time, one statement for each batch of them. */
  private readonly searches = new MicroBatcher<KnownIssueQuery & { limit: number }, KnownIssueMatch[]>(
    async (batch) => {
      const results = await this.matchMany(batch.map((e) => e.item));
      batch.forEach((e, i) => e.resolve(results[i]));
    },
    { maxBatchSize: 128, maxConcurrentBatches: 4 },
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(input: KnownIssueInput): Promise<KnownIssueView> {
    return this.dataSource.transaction(async (manager) => {
      const view = toView(await manager.save(manager.create(KnownIssue, input)));
      await this.audit.record(manager, { entity: 'known_issue', entityId: view.id, action: 'created', before: null, after: view });
      return view;
    });
  }

  async update(id: string, patch: Partial<KnownIssueInput>): Promise<KnownIssueView> {
    return this.dataSource.transaction(async (manager) => {
      const issue = await manager.findOne(KnownIssue, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!issue) throw DomainError.notFound('Known issue', id);
      const before = toView(issue);
      Object.assign(issue, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
      const after = toView(await manager.save(issue));
      await this.audit.record(manager, { entity: 'known_issue', entityId: id, action: 'updated', before, after });
      return after;
    });
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const issue = await manager.findOne(KnownIssue, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!issue) throw DomainError.notFound('Known issue', id);
      await manager.delete(KnownIssue, { id });
      await this.audit.record(manager, { entity: 'known_issue', entityId: id, action: 'deleted', before: toView(issue), after: null });
    });
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
   * ticket's most common words only add to the rank: ranking every issue that shares a common
   * word (a third of them for a long ticket) would cost most of the search, while the rare words
   * almost always find the same best match (bench/README.md, "Triage").
   *
   * The searches asked for at the same time (the triages of one batch) go to PostgreSQL together,
   * as one statement (`matchMany`).
   */
  match(input: KnownIssueQuery, limit = 3): Promise<KnownIssueMatch[]> {
    return this.searches.add({ ...input, limit });
  }

  /**
   * `match` for many tickets in one statement: each ticket's search is the same as alone (same
   * candidates, rank, order and limit: a LATERAL subquery per ticket); one round trip, one
   * statement for all of them.
   */
  async matchMany(inputs: ReadonlyArray<KnownIssueQuery & { limit: number }>): Promise<KnownIssueMatch[][]> {
    const searches = await Promise.all(
      inputs.map(async (input) => {
        // The same words as searchTerms(`${subject} ${description}`), from the text the rules and
        // the classifier normalised already.
        const terms = searchTermsOf(normalizeFields(input.subject, input.description));
        return { input, terms, candidates: terms.length === 0 ? [] : await this.candidateTerms(terms) };
      }),
    );
    const asked = searches.filter((s) => s.terms.length > 0);
    const rows = asked.length === 0
      ? []
      : await queryPrepared<RankedIssue & { search_no: number }>(this.dataSource.manager, KNOWN_ISSUES_RANK_MANY, [
          asked.map((s) => s.terms.join(' | ')),
          asked.map((s) => s.candidates.join(' | ')),
          asked.map((s) => s.input.category),
          asked.map((s) => s.input.product),
          asked.map((s) => s.input.limit * 4),
        ]);
    const perSearch = new Map<number, RankedIssue[]>();
    for (const r of rows) {
      const list = perSearch.get(r.search_no);
      if (list) list.push(r);
      else perSearch.set(r.search_no, [r]);
    }
    let no = 0;
    return searches.map((s) => (s.terms.length === 0 ? [] : best(perSearch.get(++no) ?? [], s.terms, s.input.limit)));
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

const CATEGORIES = ['billing', 'subscription_management', 'technical'];
const PRODUCTS = ['azure', 'microsoft_365', 'dynamics_365', 'other'];

/**
 * The lexemes of the known issues seen lately, as sets: an issue is a candidate for many tickets
 * and changes rarely, so its lexeme string is split once (and again only when it changed).
 */
const LEXEME_CACHE_LIMIT = 20_000;
const lexemeCache = new Map<string, { lexemes: string; words: ReadonlySet<string> }>();

function lexemesOf(issue: RankedIssue): ReadonlySet<string> {
  const cached = lexemeCache.get(issue.id);
  if (cached && cached.lexemes === issue.lexemes) return cached.words;
  const words = new Set(issue.lexemes.split(' '));
  if (lexemeCache.size >= LEXEME_CACHE_LIMIT) lexemeCache.clear();
  lexemeCache.set(issue.id, { lexemes: issue.lexemes, words });
  return words;
}

/** Counts the ticket's words each candidate contains (in Node: cheaper than in SQL), keeps the `limit` best. */
function best(rows: RankedIssue[], terms: string[], limit: number): KnownIssueMatch[] {
  const minHits = Math.min(2, terms.length);
  return rows
    .map((r) => {
      const words = lexemesOf(r);
      return { ...r, score: Number(r.score), hits: terms.reduce((n, t) => (words.has(t) ? n + 1 : n), 0) };
    })
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

/**
 * One ticket's candidates, ranked: `q.query` all its words (the rank), `q.candidates` the words
 * that find candidates. `scopeFilter` restricts the issues to the ticket's category × product;
 * `gate` (outer values only) switches the branch on for the tickets of that scope.
 */
const rankBranch = (gate: string, scopeFilter: string) => `
        SELECT k.id, k.title, k.in_scope, k.resolution, k.runbook_url, k.search, ts_rank(k.search, q.query, 32) AS score
          FROM known_issues k
         WHERE ${gate} AND k.search @@ q.candidates AND ${scopeFilter}`;

/**
 * The predicate of a scope's partial GIN index (migration TriageSpeed), written out with the
 * scope's constants so that the planner uses that index: it holds only the issues that can apply.
 */
const inScope = (category: string, product: string) =>
  `(k.category IS NULL OR k.category = '${category}') AND (k.product IS NULL OR k.product = '${product}')`;

/**
 * Every search of a batch in one statement. Per search (arrays $1–$5: all its words, the words
 * that find candidates, category, product, how many to keep), a LATERAL subquery: the tsqueries
 * are computed once per search, then one UNION ALL branch per category × product, each switched
 * on only for its own scope (a one-time filter on the outer values: the other branches cost
 * nothing) and each searching its scope's partial GIN index; a last branch for a ticket without a
 * known scope (category or product unset: the dry run) searches every issue. Same candidates,
 * rank, order and limit as a search alone. `lexemes` is read only for the rows kept, as one string.
 *
 * Planned once per connection: each array is read through a sub-select, so the planner never sees
 * how many searches a call holds and estimates every call alike; PostgreSQL then keeps the generic
 * plan after its first five calls. Given the arrays themselves it planned each call again (a custom
 * plan, its row estimate the batch's size, looked cheaper than the generic one), and planning these
 * thirteen branches cost 3–4 ms of backend CPU a call, four to five times their execution
 * (bench/README.md, "E-mail in: where a mail's CPU goes … r11-mailin"). The plan is the same either
 * way: the branches' gates test each search's own values, never a parameter.
 */
export const KNOWN_ISSUES_RANK_MANY = prepared(
  'triage_known_issues_many',
  `
  SELECT s.search_no::int AS search_no, b.id, b.title, b.in_scope, b.resolution, b.runbook_url, b.score,
         array_to_string(tsvector_to_array(b.search), ' ') AS lexemes
    FROM unnest((SELECT $1::text[]), (SELECT $2::text[]), (SELECT $3::text[]), (SELECT $4::text[]), (SELECT $5::int[])) WITH ORDINALITY
           AS s(query, candidates, category, product, keep, search_no)
    CROSS JOIN LATERAL (SELECT to_tsquery('simple', s.query) AS query, to_tsquery('simple', s.candidates) AS candidates OFFSET 0) q
    CROSS JOIN LATERAL (
      SELECT r.* FROM (${CATEGORIES.flatMap((c) => PRODUCTS.map((p) => rankBranch(`s.category = '${c}' AND s.product = '${p}'`, inScope(c, p)))).join(`
        UNION ALL`)}
        UNION ALL${rankBranch(
          `NOT (s.category IS NOT NULL AND s.category IN (${CATEGORIES.map((c) => `'${c}'`).join(', ')}) AND s.product IS NOT NULL AND s.product IN (${PRODUCTS.map((p) => `'${p}'`).join(', ')}))`,
          '(k.product IS NULL OR s.product IS NULL OR k.product = s.product) AND (k.category IS NULL OR s.category IS NULL OR k.category = s.category)',
        )}
      ) r
      ORDER BY r.score DESC, r.id
      LIMIT s.keep
    ) b`,
);

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
