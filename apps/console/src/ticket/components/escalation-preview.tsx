import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { useRoutingWords } from '../hooks/use-routing-words';

/**
 * What escalating would decide now (GET …/escalations/preview), before the agent confirms: the
 * tier and why, why the others are out, the contracts' hours, and why it would be refused.
 */
export function EscalationPreview({ preview }: { preview: Schemas['EscalationPreviewDto'] }) {
  const { t } = useTranslation();
  const words = useRoutingWords();
  const chosen = preview.considered.find((option) => option.tier === preview.chosen);
  const others = preview.considered.filter((option) => option !== chosen);
  return (
    <section className="escalation-preview" aria-labelledby="escalation-preview-title">
      <h3 id="escalation-preview-title">{t('escalate.preview')}</h3>
      {chosen ? (
        <p className="routing-choice">{t(preview.refusal ? 'escalate.wouldGo' : 'escalate.willGo', { tier: t(`tier.${chosen.tier}`), why: words.why(chosen) })}</p>
      ) : (
        <p className="routing-choice">{t('escalate.noTier')}</p>
      )}
      {others.length > 0 && (
        <>
          <p>{t('escalate.others')}</p>
          <ul className="routing">
            {others.map((option) => (
              <li key={option.tier} className={option.eligible ? 'eligible' : 'ineligible'}>
                <strong>{t(`tier.${option.tier}`)}</strong>: {option.eligible ? t('escalate.eligible') : t('escalate.ineligible')} — {words.why(option)}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>{t('escalate.hoursLeft', { premier: preview.premier.hoursRemaining, advanced: preview.advanced.hoursRemaining })}</p>
      {preview.refusal && (
        <div role="alert" className="error-message refusal">
          <strong>{t('escalate.refused')}</strong> {words.refusal(preview.refusal)}
          {preview.refusal.code === 'product_suspended' && <p>{t(preview.refusal.mayOverride ? 'escalate.overrideAllowed' : 'escalate.overrideOthers')}</p>}
        </div>
      )}
    </section>
  );
}
