import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { problemOf } from '../../api/problem';
import { ErrorMessage } from '../../ui/feedback';
import { SelectField, TextField } from '../../ui/fields';
import { usePortalCustomer } from '../portal-session';

type NewTicket = Schemas['CreateTicketDto'];
const CATEGORIES = ['', 'technical', 'billing', 'subscription_management'] as const;
const PRODUCTS = ['', 'azure', 'microsoft_365', 'dynamics_365', 'other'] as const;
const SEVERITIES = ['P3', 'P1', 'P2', 'P4'] as const;

/** Opens a ticket for the signed-in customer (the portal channel); the requester is the contact when a mailed link signed them in. */
export function NewTicketPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = usePortalCustomer();
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState<(typeof CATEGORIES)[number]>('');
  const [product, setProduct] = useState<(typeof PRODUCTS)[number]>('');
  const [severity, setSeverity] = useState<(typeof SEVERITIES)[number]>('P3');
  const [name, setName] = useState(me.contact?.name ?? '');
  const [email, setEmail] = useState(me.contact?.email ?? '');
  const create = api.useMutation('post', '/api/v1/tickets', {
    onSuccess: (ticket) => void navigate({ to: '/tickets/$ticketId', params: { ticketId: ticket.id } }),
  });
  const failure: unknown = create.error;
  const fieldError = (field: string) => problemOf(failure)?.errors?.find((e) => e.field === field || e.field.startsWith(`${field}.`))?.message;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: NewTicket = {
      subject,
      description,
      severity,
      requester: { name, email },
      ...(category ? { category } : {}),
      ...(product ? { product } : {}),
    };
    create.mutate({ body });
  };

  return (
    <section className="page portal-page" aria-labelledby="new-ticket-title">
      <h1 id="new-ticket-title">{t('portal.newTicket.title')}</h1>
      <Form onSubmit={submit} className="form-grid panel" validationBehavior="aria">
        <TextField label={t('portal.newTicket.subject')} value={subject} onChange={setSubject} isRequired error={fieldError('subject')} name="subject" />
        <TextField label={t('portal.newTicket.description')} value={description} onChange={setDescription} multiline rows={6} isRequired error={fieldError('description')} name="description" />
        <div className="inline">
          <SelectField label={t('portal.newTicket.category')} value={category} onChange={setCategory} options={CATEGORIES.map((c) => ({ value: c, label: c ? t(`category.${c}`) : t('portal.newTicket.notSure') }))} />
          <SelectField label={t('portal.newTicket.product')} value={product} onChange={setProduct} options={PRODUCTS.map((p) => ({ value: p, label: p ? t(`product.${p}`) : t('portal.newTicket.notSure') }))} />
          <SelectField label={t('portal.newTicket.severity')} value={severity} onChange={setSeverity} options={SEVERITIES.map((s) => ({ value: s, label: t(`priority.${s}`) }))} />
        </div>
        <div className="inline">
          <TextField label={t('portal.newTicket.name')} value={name} onChange={setName} isRequired error={fieldError('requester.name')} name="name" />
          <TextField label={t('portal.newTicket.email')} type="email" value={email} onChange={setEmail} isRequired error={fieldError('requester.email')} name="email" />
        </div>
        {failure && !problemOf(failure)?.errors?.length ? <ErrorMessage error={failure} /> : null}
        <Button type="submit" className="button primary" isDisabled={create.isPending}>
          {t('portal.newTicket.submit')}
        </Button>
      </Form>
    </section>
  );
}
