import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';

type Considered = Schemas['TierConsideredDto'];
type Refusal = Schemas['EscalationRefusalDto'];

const CONTRACT_NAMES = { premier: 'Premier', advanced: 'Advanced' } as const;
const COMPETENCY_NAMES = { gold: 'Gold', silver: 'Silver' } as const;

/**
 * The routing's reasons in the console's language, from the codes the API gives next to its
 * English text; a code this console does not know yet (or an escalation routed before codes
 * existed) shows the API's own words.
 */
export function useRoutingWords() {
  const { t, i18n } = useTranslation();
  const known = (key: string) => i18n.exists(key) || i18n.exists(`${key}_other`);

  const why = ({ why, reason }: Considered): string => {
    if (!why) return reason;
    const { contract, hoursRemaining, expiresOn, competency } = why.params;
    const params = {
      contract: contract ? CONTRACT_NAMES[contract] : undefined,
      competency: competency ? COMPETENCY_NAMES[competency] : undefined,
      expiresOn: expiresOn ?? undefined,
      count: hoursRemaining,
    };
    const code = why.code === 'contract_active' && !expiresOn ? 'contract_open' : why.code;
    const key = `escalate.why.${code}`;
    return known(key) ? t(key, params) : reason;
  };

  const refusal = ({ code, detail, product }: Refusal): string => {
    const key = `escalate.refusal.${code}`;
    return known(key) ? t(key, { product: product ? t(`product.${product}`, { defaultValue: product }) : '' }) : detail;
  };

  return { why, refusal };
}
