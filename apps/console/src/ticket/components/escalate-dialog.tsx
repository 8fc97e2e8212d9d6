import { useState, type FormEvent } from 'react';
import { Button, Dialog, Form, Heading, Modal } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { useCapabilities } from '../../auth/session';
import { SelectField, TextField } from '../../ui/fields';
import { ErrorMessage } from '../../ui/feedback';
import { useTicketChanges } from '../hooks/use-ticket';
import { TIERS } from '../ticket-values';
import { RoutingDecision } from './routing-decision';

type Ticket = Schemas['TicketResponseDto'];

/**
 * Escalate to a vendor tier: the tier is chosen by the API's routing (or asked for), and the dialog
 * then shows the decision — which tier and why, and why the others were out. Global admins also
 * see what the partner holds today (contracts, hours left) before confirming.
 */
export function EscalateDialog({ ticket, isOpen, onOpenChange, onEscalated }: { ticket: Ticket; isOpen: boolean; onOpenChange: (open: boolean) => void; onEscalated: () => void }) {
  const { t } = useTranslation();
  const { capabilities } = useCapabilities();
  const [tier, setTier] = useState<(typeof TIERS)[number] | ''>('');
  const [reason, setReason] = useState('');
  const { path, escalate } = useTicketChanges(ticket.id, onEscalated);
  const entitlements = api.useQuery('get', '/api/v1/entitlements', undefined, { enabled: isOpen && capabilities.globalAdmin });
  const result = escalate.data;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return;
    escalate.mutate({ ...path, body: { reason, ...(tier ? { tier } : {}) } });
  };
  const close = () => {
    onOpenChange(false);
    escalate.reset();
    setReason('');
    setTier('');
  };

  return (
    <Modal isDismissable isOpen={isOpen} onOpenChange={(open) => (open ? onOpenChange(true) : close())} className="modal">
      <Dialog className="dialog wide">
        <Heading slot="title">{t('escalate.title', { number: ticket.number })}</Heading>
        {result ? (
          <div role="status">
            <p>{t('escalate.done', { tier: t(`tier.${result.tier}`) })}</p>
            <RoutingDecision routing={result.routing} />
            <div className="dialog-actions">
              <Button className="button primary" onPress={close} autoFocus>
                {t('common.close')}
              </Button>
            </div>
          </div>
        ) : (
          <Form onSubmit={submit}>
            {entitlements.data && (
              <section className="entitlements-today" aria-label={t('escalate.today')}>
                <h3>{t('escalate.today')}</h3>
                <ul>
                  {entitlements.data.tiers.map((option) => (
                    <li key={option.tier} className={option.eligible ? 'eligible' : 'ineligible'}>
                      <strong>{t(`tier.${option.tier}`)}</strong>: {option.eligible ? t('escalate.eligible') : t('escalate.ineligible')} — {option.reason}
                    </li>
                  ))}
                </ul>
                <p>
                  {t('escalate.hoursLeft', { premier: entitlements.data.premier.hoursRemaining, advanced: entitlements.data.advanced.hoursRemaining })}
                </p>
              </section>
            )}
            <SelectField label={t('escalate.tier')} value={tier} onChange={setTier} options={[{ value: '' as const, label: t('escalate.automatic') }, ...TIERS.map((value) => ({ value, label: t(`tier.${value}`) }))]} />
            <TextField label={t('escalate.reason')} value={reason} onChange={setReason} multiline rows={4} isRequired autoFocus />
            <ErrorMessage error={escalate.error} />
            <div className="dialog-actions">
              <Button className="button" onPress={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" className="button danger" isDisabled={escalate.isPending || !reason.trim()}>
                {t('escalate.confirm')}
              </Button>
            </div>
          </Form>
        )}
      </Dialog>
    </Modal>
  );
}
