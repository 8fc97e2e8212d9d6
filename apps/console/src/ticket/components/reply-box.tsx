import { useImperativeHandle, useRef, useState, type FormEvent, type Ref } from 'react';
import { Button, Form, Label, Radio, RadioGroup, TextArea, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/feedback';
import { useUpload } from '../hooks/use-attachments';
import { useTicketChanges } from '../hooks/use-ticket';
import { AttachControl } from './attachments';

export type Visibility = 'public' | 'internal';

export interface ReplyBoxHandle {
  focus: (visibility: Visibility) => void;
}

/**
 * A reply to the customer or an internal note: the choice is a pair of radio buttons above the box,
 * and the whole box (and the button) changes with it, so an internal note never goes out by mistake.
 */
export function ReplyBox({ ticketId, onSent, ref }: { ticketId: string; onSent: () => void; ref?: Ref<ReplyBoxHandle> }) {
  const { t } = useTranslation();
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const area = useRef<HTMLTextAreaElement>(null);
  const sent = () => {
    setBody('');
    setFiles([]);
    onSent();
  };
  const { path, comment } = useTicketChanges(ticketId, sent);
  const { upload, send } = useUpload(ticketId, sent);
  useImperativeHandle(ref, () => ({
    focus: (next) => {
      setVisibility(next);
      area.current?.focus();
    },
  }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    // With files, the comment and its files are one upload (one transaction on the API's side).
    if (files.length > 0) send({ body, visibility, files });
    else comment.mutate({ ...path, body: { body, visibility } });
  };

  return (
    <section className={`reply-box ${visibility}`} aria-labelledby="reply-title">
      <h2 id="reply-title">{t('reply.title')}</h2>
      <Form onSubmit={submit}>
        <RadioGroup className="visibility-toggle" value={visibility} onChange={(value) => setVisibility(value as Visibility)} orientation="horizontal" aria-label={t('reply.visibility')}>
          <Radio value="public" className="visibility-option public">
            {t('reply.publicReply')}
          </Radio>
          <Radio value="internal" className="visibility-option internal">
            {t('reply.internalNote')}
          </Radio>
        </RadioGroup>
        <p className="reply-hint">{visibility === 'internal' ? t('reply.internalHint') : t('reply.publicHint')}</p>
        <TextField className="field" value={body} onChange={setBody}>
          <Label className="visually-hidden">{visibility === 'internal' ? t('reply.internalNote') : t('reply.publicReply')}</Label>
          <TextArea ref={area} rows={5} name="body" />
        </TextField>
        <AttachControl files={files} onChange={setFiles} />
        <ErrorMessage error={comment.error ?? upload.error} />
        <Button type="submit" className={`button ${visibility === 'internal' ? 'internal' : 'primary'}`} isDisabled={comment.isPending || upload.isPending || !body.trim()}>
          {visibility === 'internal' ? t('reply.sendInternal') : t('reply.sendPublic')}
        </Button>
      </Form>
    </section>
  );
}
