import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { useRoutingWords } from '../hooks/use-routing-words';

/** Which tier the routing chose and why each tier was in or out. */
export function RoutingDecision({ routing }: { routing: Schemas['RoutingDecisionDto'] }) {
  const { t } = useTranslation();
  const words = useRoutingWords();
  return (
    <ul className="routing">
      {routing.considered.map((option) => (
        <li key={option.tier} className={option.tier === routing.chosen ? 'chosen' : option.eligible ? 'eligible' : 'ineligible'}>
          <strong>{t(`tier.${option.tier}`)}</strong>
          {option.tier === routing.chosen ? ` (${t('escalate.chosen')})` : ''}: {words.why(option)}
        </li>
      ))}
    </ul>
  );
}
