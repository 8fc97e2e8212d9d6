import { Link } from '@tanstack/react-router';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { ErrorMessage, QueryState } from '../../ui/feedback';

type Rule = Schemas['TriageRuleResponseDto'];
const LAST_TICKETS = 1000;

/** How many of the last 1,000 tickets the saved rule would match and what it would change; switch it on from here. */
export function ImpactPreview({ rule, onEnabled }: { rule: Rule; onEnabled: (rule: Rule) => void }) {
  const { t } = useTranslation();
  const impact = api.useQuery('get', '/api/v1/triage-rules/{id}/impact', { params: { path: { id: rule.id }, query: { last: LAST_TICKETS } } });
  const enable = api.useMutation('patch', '/api/v1/triage-rules/{id}', { onSuccess: onEnabled });

  return (
    <section className="impact" aria-labelledby="impact-title" aria-live="polite">
      <h3 id="impact-title">{t('rules.impact')}</h3>
      <QueryState query={impact}>
        {(data) => (
          <>
            <p>{t('rules.impactSummary', { matched: data.matched, considered: data.considered })}</p>
            {Object.keys(data.wouldChange).length > 0 && (
              <ul>
                {Object.entries(data.wouldChange).map(([field, count]) => (
                  <li key={field}>{t('rules.wouldChange', { field: t(`rules.fields.${field}`, { defaultValue: field }), count })}</li>
                ))}
              </ul>
            )}
            {data.sampleTicketIds.length > 0 && (
              <p>
                {t('rules.samples')}{' '}
                {data.sampleTicketIds.slice(0, 5).map((id) => (
                  <Link key={id} to="/tickets/$ticketId" params={{ ticketId: id }} className="sample">
                    {id.slice(0, 8)}
                  </Link>
                ))}
              </p>
            )}
          </>
        )}
      </QueryState>
      {!rule.enabled && (
        <Button className="button primary" onPress={() => enable.mutate({ params: { path: { id: rule.id } }, body: { enabled: true } })} isDisabled={enable.isPending}>
          {t('rules.enable')}
        </Button>
      )}
      <ErrorMessage error={enable.error} />
    </section>
  );
}
