import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';

type TriageWhy = Schemas['TriageWhyDto'];
type ClassifierWhy = Schemas['ClassifierWhyDto'];
type Diagnosis = Schemas['DiagnosisDto'];
type PrioritySuggestion = Schemas['PrioritySuggestionDto'];

/**
 * Triage's reasons in the console's language, from the codes the API gives next to its English
 * text; a code this console does not know yet (or a triage made before codes existed) shows the
 * API's own words.
 */
export function useTriageWords() {
  const { t, i18n } = useTranslation();
  const quoted = (words: readonly string[] = []) => words.map((word) => t('diagnosis.quoted', { word })).join(', ');

  const classifier = ({ code, params }: ClassifierWhy): string | null => {
    const key = code === 'matched_over' && params.tie ? 'diagnosis.classifier.matched_over_tie' : `diagnosis.classifier.${code}`;
    if (!i18n.exists(key)) return null;
    const other = params.other ? t(`diagnosis.classifier.other.${params.other}`) : '';
    return t(key, { words: quoted(params.words), other, otherWords: quoted(params.otherWords) });
  };

  /** Why a field got its value (`english`: the API's `reasons` of that field). */
  const reason = (why: TriageWhy | undefined, english: string): string => {
    if (!why) return english;
    const { rule, priority, category } = why.params;
    switch (why.code) {
      case 'rule':
        return rule ? t('diagnosis.reason.rule', { rule }) : t('diagnosis.reason.rule_unknown');
      case 'classifier': {
        const words = why.params.classifier ? classifier(why.params.classifier) : null;
        return words === null ? english : t('diagnosis.reason.classifier', { classifier: words });
      }
      case 'default_queue':
        return t('diagnosis.reason.default_queue', { category: category ? t(`category.${category}`) : '' });
      default: {
        const key = `diagnosis.reason.${why.code}`;
        return i18n.exists(key) ? t(key, { priority }) : english;
      }
    }
  };

  /** The diagnosis' summary: a known issue's, said in the console's language; a rule's own words as written. */
  const summary = ({ summary, summaryWhy }: Diagnosis): string | null =>
    summaryWhy?.code === 'known_issue' ? t('diagnosis.knownIssueSummary', { title: summaryWhy.params.title, resolution: summaryWhy.params.resolution }) : summary;

  /** Why the classifier suggests a priority. */
  const suggestion = ({ reason, why }: PrioritySuggestion): string => {
    const key = why ? `diagnosis.suggestionWhy.${why.code}` : '';
    return why && i18n.exists(key) ? t(key, { words: quoted(why.params.words), everyone: quoted(why.params.everyone) }) : reason;
  };

  return { reason, summary, suggestion };
}
