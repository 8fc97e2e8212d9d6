/**
 * Text normalisation and whole-word matching shared by the built-in classifier and triage rules.
 *
 * A "word" is a run of letters and/or digits. Matching is case- and accent-insensitive but
 * whole-word: "factura" matches "FACTURA" and "Factura," but not "facturación" (another word).
 * A multi-word keyword ("credit card", "no funciona") matches the same words in order, separated
 * only by whitespace, dashes or underscores (not by sentence punctuation such as "no. funciona").
 * Punctuation between the words of a keyword ("can't", "office.com", "no. funciona") must be
 * there in the text too (any punctuation; whitespace and dashes are not); around it, it is ignored.
 * A word of a keyword ending in "*" is a prefix: "factura*" matches "factura", "facturas" and
 * "facturación" ("factura" alone only "factura"), and "tarjeta de cr*" matches "tarjeta de crédito".
 */

const COMBINING_MARKS = /\p{M}+/gu;
const WORD = /[\p{L}\p{N}]+/gu;
/** What may separate the words of a phrase: whitespace, dashes, underscores. */
const PHRASE_GAP = /[\s\p{Pd}_]+/gu;
/** Anything else that is not a word: ends a phrase. */
const PUNCTUATION = /[^\p{L}\p{N}\s\p{Pd}_]+/gu;

/** Lower-case and strip diacritics: "Facturación" -> "facturacion", "CAÍDO" -> "caido". */
export function normalize(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(COMBINING_MARKS, '');
}

// Not a word character, space or dash: a phrase can never span two fields.
const FIELD_BREAK = '\n¶\n';

// The rules, the classifier and the known-issue search each normalise a ticket's subject and
// description; a triage batch interleaves its tickets, so the last few texts are kept.
const FIELDS_CACHE_LIMIT = 1024;
const fieldsCache = new Map<string, string>();

/** Normalises several fields (subject, description) into one text; no phrase spans two fields. */
export function normalizeFields(...fields: string[]): string {
  const joined = fields.join(FIELD_BREAK);
  const cached = fieldsCache.get(joined);
  if (cached !== undefined) return cached;
  const normalized = normalize(joined);
  if (fieldsCache.size >= FIELDS_CACHE_LIMIT) fieldsCache.clear();
  fieldsCache.set(joined, normalized);
  return normalized;
}

/** The normalised words of a text, in order: "¡No funciona!" -> ["no", "funciona"]. */
export function tokenize(text: string): string[] {
  return words(normalize(text));
}

/** The words of a text already passed through `normalize` (or `normalizeFields`), in order. */
export function words(normalized: string): string[] {
  return normalized.match(WORD) ?? [];
}

/**
 * A normalised text in searchable form: its words separated by single spaces, with " | " where
 * two words are split by anything other than whitespace or dashes (so no phrase matches across
 * it), padded with spaces: "¿Caído? No. Credit-card" -> " | caido | no | credit card ". Fields
 * (normalizeFields) are joined by " ¶ ", which no keyword holds: not even one with punctuation
 * ("marzo. el") spans two of them.
 */
function searchable(text: string): string {
  const fields = text.split(FIELD_BREAK).map((field) => field.replace(PUNCTUATION, ' | '));
  return ` ${fields.join(' ¶ ').replace(PHRASE_GAP, ' ')} `;
}

// The rule engine and the classifier ask about many keywords in the same text in a row: the
// searchable form of the last text asked about, and the set of its words, are kept, so each text
// is rewritten once and most keywords are ruled out by one set lookup instead of a scan of the text.
let lastText: string | undefined;
let lastSearchable = ' ';
let lastWords: ReadonlySet<string> = new Set();

function searchableOnce(text: string): string {
  if (text !== lastText) {
    lastSearchable = searchable(text);
    lastWords = new Set(lastSearchable.split(' '));
    lastText = text;
  }
  return lastSearchable;
}

interface Needle {
  /** " word word " as it appears in a searchable text. */
  text: string;
  /** The words that must occur exactly. */
  words: string[];
  /** The words written with a trailing "*": some word of the text must start with each. */
  prefixes: string[];
  /** For a phrase with a prefix word: the phrase in a searchable text. */
  pattern: RegExp | null;
}

/** A keyword's words, each with whether it ends in "*" (a prefix): "Tarjeta de cr*" -> tarjeta, de, cr*. */
const KEYWORD_WORD = /([\p{L}\p{N}]+)(\*(?![\p{L}\p{N}]))?/gu;

/** The needle of a normalised keyword with at least one word (`found`: its KEYWORD_WORD matches). */
function needleOf(normalized: string, found: RegExpExecArray[]): Needle {
  const last = found[found.length - 1];
  // From its first word to its last, prefix marks dropped, in the text's searchable form:
  // "can't" -> "can | t", "tarjeta de cr*" -> "tarjeta de cr".
  const core = normalized
    .slice(found[0].index, last.index + last[1].length)
    .replace(PREFIX_MARK, '')
    .replace(PUNCTUATION, ' | ')
    .replace(PHRASE_GAP, ' ')
    .trim();
  const parts = found.map((m) => ({ word: m[1], prefix: m[2] !== undefined }));
  const tokens = core.split(' ');
  let w = 0;
  return {
    text: ` ${core} `,
    words: parts.filter((p) => !p.prefix).map((p) => p.word),
    prefixes: parts.filter((p) => p.prefix).map((p) => p.word),
    // Its tokens are the keyword's words in order and "|": only "|" needs escaping.
    pattern:
      parts.some((p) => p.prefix) && tokens.length > 1
        ? new RegExp(` ${tokens.map((t) => (t === '|' ? '\\|' : parts[w++].prefix ? `${t}[\\p{L}\\p{N}]*` : t)).join(' ')} `, 'u')
        : null,
  };
}

const PREFIX_MARK = /(?<=[\p{L}\p{N}])\*(?![\p{L}\p{N}])/gu;

// Keywords come from a small, slowly changing set (built-in vocabulary and rules), so their
// searchable forms (or null without any word) are cached; the cap only guards against unbounded
// growth.
const NEEDLE_CACHE_LIMIT = 10_000;
const needleCache = new Map<string, Needle | null>();

function keywordNeedle(keyword: string): Needle | null {
  const cached = needleCache.get(keyword);
  if (cached !== undefined) return cached;
  const normalized = normalize(keyword);
  // A "*" right after a word, and not inside one, makes that word a prefix; it is no punctuation.
  const found = [...normalized.matchAll(KEYWORD_WORD)];
  const needle: Needle | null = found.length === 0 ? null : needleOf(normalized, found);
  if (needleCache.size >= NEEDLE_CACHE_LIMIT) needleCache.clear();
  needleCache.set(keyword, needle);
  return needle;
}

/**
 * Whether `keyword` (a word or phrase, any case or accents) occurs as whole words in a text
 * already passed through `normalize`. A keyword without any letter or digit never matches.
 */
export function containsWord(haystackNormalized: string, keyword: string): boolean {
  const needle = keywordNeedle(keyword);
  if (needle === null) return false;
  const haystack = searchableOnce(haystackNormalized);
  // The searchable text is its words (and "|") separated by single spaces: a phrase can only
  // occur if each of its words does, and a single word occurs exactly when it is in the set.
  if (!needle.words.every((word) => lastWords.has(word))) return false;
  if (needle.prefixes.length === 0) return needle.words.length === 1 || haystack.includes(needle.text);
  if (!needle.prefixes.every(hasWordStartingWith)) return false;
  return needle.pattern === null || needle.pattern.test(haystack);
}

function hasWordStartingWith(prefix: string): boolean {
  for (const word of lastWords) if (word.startsWith(prefix)) return true;
  return false;
}

/** The keywords (as written, in list order) that occur as whole words in a normalised text. */
export function matchedKeywords(haystackNormalized: string, keywords: readonly string[]): string[] {
  return keywords.filter((keyword) => containsWord(haystackNormalized, keyword));
}
