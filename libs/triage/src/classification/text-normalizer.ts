/**
 * Text normalisation and whole-word matching shared by the built-in classifier and triage rules.
 *
 * A "word" is a run of letters and/or digits. Matching is case- and accent-insensitive but
 * whole-word: "factura" matches "FACTURA" and "Factura," but not "facturación" (another word).
 * A multi-word keyword ("credit card", "no funciona") matches the same words in order, separated
 * only by whitespace, dashes or underscores (not by sentence punctuation such as "no. funciona").
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
 * it), padded with spaces: "¿Caído? No. Credit-card" -> " | caido | no | credit card ".
 */
function searchable(text: string): string {
  return ` ${text.replace(PUNCTUATION, ' | ').replace(PHRASE_GAP, ' ')} `;
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
const KEYWORD_WORD = /([\p{L}\p{N}]+)(\*)?/gu;

// Keywords come from a small, slowly changing set (built-in vocabulary and rules), so their
// searchable forms (or null without any word) are cached; the cap only guards against unbounded
// growth.
const NEEDLE_CACHE_LIMIT = 10_000;
const needleCache = new Map<string, Needle | null>();

function keywordNeedle(keyword: string): Needle | null {
  const cached = needleCache.get(keyword);
  if (cached !== undefined) return cached;
  const parts = [...normalize(keyword).matchAll(KEYWORD_WORD)].map(([, word, star]) => ({ word, prefix: star !== undefined }));
  const needle: Needle | null =
    parts.length === 0
      ? null
      : {
          text: ` ${parts.map((p) => p.word).join(' ')} `,
          words: parts.filter((p) => !p.prefix).map((p) => p.word),
          prefixes: parts.filter((p) => p.prefix).map((p) => p.word),
          // Words are letters and digits only: nothing in them needs escaping.
          pattern:
            parts.length > 1 && parts.some((p) => p.prefix)
              ? new RegExp(` ${parts.map((p) => (p.prefix ? `${p.word}[\\p{L}\\p{N}]*` : p.word)).join(' ')} `, 'u')
              : null,
        };
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
