import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { useTriageWords } from '../hooks/use-triage-words';

type Ticket = Schemas['TicketResponseDto'];

/** What the last triage recorded on the timeline: why each field got its value, which rules matched. */
interface TriageRecord {
  reasons?: Partial<Record<'category' | 'product' | 'priority' | 'queue', string>>;
  /** The reasons as codes (absent on triages made before codes existed). */
  why?: Partial<Schemas['TriageWhysDto']>;
  matchedRules?: Array<{ ruleId: string; name: string; set: string[] }>;
  stoppedBy?: string | null;
}

/**
 * The diagnosis: what triage decided and why — the reasons and matched rules of the last triage
 * (from the timeline), the baseline-scope verdict, the matched known issues with their resolution
 * and runbook, and the classifier's priority suggestion.
 */
export function DiagnosisPanel({ ticket, events }: { ticket: Ticket; events: Schemas['TicketEventDto'][] }) {
  const { t } = useTranslation();
  const words = useTriageWords();
  const triaged = events.filter((e) => e.type === 'triaged').at(-1);
  const record = (triaged?.data ?? {}) as TriageRecord;
  const diagnosis = ticket.diagnosis;

  return (
    <section className="panel diagnosis" aria-labelledby="diagnosis-title">
      <h2 id="diagnosis-title">{t('diagnosis.title')}</h2>
      {!ticket.triagedAt && <p>{t('diagnosis.notYet')}</p>}
      {diagnosis?.summary && <p className="diagnosis-summary">{words.summary(diagnosis)}</p>}
      <p>
        {t('diagnosis.scope')}: <strong>{ticket.inScope === true ? t('diagnosis.inScope') : ticket.inScope === false ? t('diagnosis.outOfScope') : t('diagnosis.unknown')}</strong>
      </p>
      {diagnosis?.runbookUrl && (
        <p>
          <a href={diagnosis.runbookUrl} target="_blank" rel="noreferrer noopener">
            {t('diagnosis.runbook')}
          </a>
        </p>
      )}
      {record.reasons && (
        <>
          <h3>{t('diagnosis.why')}</h3>
          <dl className="reasons">
            {(['category', 'product', 'priority', 'queue'] as const).map((field) =>
              record.reasons?.[field] ? (
                <div key={field}>
                  <dt>{t(`ticket.${field}`)}</dt>
                  <dd>{words.reason(record.why?.[field], record.reasons[field])}</dd>
                </div>
              ) : null,
            )}
          </dl>
        </>
      )}
      {record.matchedRules && record.matchedRules.length > 0 && (
        <>
          <h3>{t('diagnosis.rules')}</h3>
          <ul>
            {record.matchedRules.map((rule) => (
              <li key={rule.ruleId}>
                {rule.name} — {rule.set.map((field) => t(`rules.fields.${field}`, { defaultValue: field })).join(', ')}
                {record.stoppedBy === rule.ruleId ? ` (${t('diagnosis.stopped')})` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      {diagnosis && diagnosis.suggestions.length > 0 && (
        <>
          <h3>{t('diagnosis.knownIssues')}</h3>
          <ul className="suggestions">
            {diagnosis.suggestions.map((s) => (
              <KnownIssueSuggestion key={s.knownIssueId} suggestion={s} />
            ))}
          </ul>
        </>
      )}
      {ticket.prioritySuggestion && (
        <p className="suggestion">{t('diagnosis.prioritySuggestion', { priority: ticket.prioritySuggestion.priority, reason: words.suggestion(ticket.prioritySuggestion) })}</p>
      )}
    </section>
  );
}

function KnownIssueSuggestion({ suggestion }: { suggestion: Schemas['KnownIssueSuggestionDto'] }) {
  const { t } = useTranslation();
  const issue = api.useQuery('get', '/api/v1/known-issues/{id}', { params: { path: { id: suggestion.knownIssueId } } }, { staleTime: 5 * 60_000 });
  return (
    <li>
      <strong>{suggestion.title}</strong> <span className="muted">({t('diagnosis.score', { score: suggestion.score.toFixed(2) })})</span>
      {issue.data && (
        <>
          <p>{issue.data.resolution}</p>
          {issue.data.runbookUrl && (
            <a href={issue.data.runbookUrl} target="_blank" rel="noreferrer noopener">
              {t('diagnosis.runbook')}
            </a>
          )}
        </>
      )}
    </li>
  );
}
