import { useEffect, useState, type FormEvent } from 'react';
import { Button, Dialog, Form, Heading, Modal } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { problemOf } from '../../api/problem';
import { useCapabilities } from '../../auth/session';
import { SelectField, TextField } from '../../ui/fields';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { useRoutingWords } from '../hooks/use-routing-words';
import { useTicketChanges } from '../hooks/use-ticket';
import { TIERS } from '../ticket-values';
import { EscalationPreview } from './escalation-preview';
import { RoutingDecision } from './routing-decision';

type Ticket = Schemas['TicketResponseDto'];

/**
 * Escalate to a vendor tier: the tier is chosen by the API's routing (or asked for). Before
 * confirming, the dialog shows what routing would decide (the API's preview, asked again when the
 * tier changes): which tier and why, why the others are out, the contracts' hours, and a refusal
 * (which disables confirming, unless an admin gives the billing override a suspended product
 * needs). After it, the decision that was made.
 */
export function EscalateDialog({ ticket, isOpen, onOpenChange, onEscalated }: { ticket: Ticket; isOpen: boolean; onOpenChange: (open: boolean) => void; onEscalated: () => void }) {
  const { t } = useTranslation();
  const { capabilities } = useCapabilities();
  const [tier, setTier] = useState<(typeof TIERS)[number] | ''>('');
  const [reason, setReason] = useState('');
  const [billingOverride, setBillingOverride] = useState('');
  const { path, escalate } = useTicketChanges(ticket.id, onEscalated);
  const result = escalate.data;
  const preview = api.useQuery(
    'get',
    '/api/v1/tickets/{id}/escalations/preview',
    { params: { path: { id: ticket.id }, query: tier ? { tier } : {} } },
    { enabled: isOpen && !result && capabilities.worksTickets, staleTime: 0 },
  );
  const previewError: unknown = preview.error;
  // A refusal means things changed since the preview (entitlements, another escalation): show them as they are now.
  const { refetch } = preview;
  const refusedStatus = problemOf(escalate.error)?.status;
  useEffect(() => {
    if (refusedStatus === 409 || refusedStatus === 422) void refetch();
  }, [escalate.error, refusedStatus, refetch]);
  const refusal = preview.data?.refusal ?? null;
  const overriding = refusal?.code === 'product_suspended' && refusal.mayOverride === true;
  // Confirming waits for the preview of the tier as chosen now; a preview that fails leaves the API to judge.
  const blocked = preview.isLoading || (refusal !== null && !(overriding && billingOverride.trim()));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim() || blocked) return;
    escalate.mutate({ ...path, body: { reason, ...(tier ? { tier } : {}), ...(overriding ? { billingOverride } : {}) } });
  };
  const close = () => {
    onOpenChange(false);
    escalate.reset();
    setReason('');
    setTier('');
    setBillingOverride('');
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
            <SelectField label={t('escalate.tier')} value={tier} onChange={setTier} options={[{ value: '' as const, label: t('escalate.automatic') }, ...TIERS.map((value) => ({ value, label: t(`tier.${value}`) }))]} />
            {preview.data ? <EscalationPreview preview={preview.data} /> : previewError ? <ErrorMessage error={previewError} /> : <Loading label={t('escalate.previewing')} />}
            <TextField label={t('escalate.reason')} value={reason} onChange={setReason} multiline rows={4} isRequired autoFocus />
            {overriding && <TextField label={t('escalate.billingOverride')} value={billingOverride} onChange={setBillingOverride} multiline rows={2} isRequired />}
            <EscalationFailure error={escalate.error} />
            <div className="dialog-actions">
              <Button className="button" onPress={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" className="button danger" isDisabled={escalate.isPending || !reason.trim() || blocked}>
                {t('escalate.confirm')}
              </Button>
            </div>
          </Form>
        )}
      </Dialog>
    </Modal>
  );
}

/**
 * Why escalating failed: a refusal in the console's language, from the code the API gives next to
 * its English detail (with the tiers considered, when routing refused); any other failure as the
 * API said it.
 */
function EscalationFailure({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const words = useRoutingWords();
  const problem = problemOf(error) as (Schemas['EscalationProblemDto'] & { reason?: string }) | null;
  if (!problem?.reason) return <ErrorMessage error={error} />;
  const refusal = { code: problem.reason, status: problem.status, detail: problem.detail, product: problem.product } as Schemas['EscalationRefusalDto'];
  return (
    <div role="alert" className="error-message">
      <strong>{t('escalate.refusedNow')}</strong> {words.refusal(refusal)}
      {problem.routing && <RoutingDecision routing={problem.routing} />}
    </div>
  );
}
