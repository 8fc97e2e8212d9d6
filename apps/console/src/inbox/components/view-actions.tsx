import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { Button, Dialog, Form, Heading, Modal } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { problemOf } from '../../api/problem';
import { useFieldErrors } from '../../ui/field-errors';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { TextField } from '../../ui/fields';
import { ErrorMessage } from '../../ui/feedback';
import { useDeleteView, useRenameView } from '../hooks/use-views';

type View = Schemas['UncountedViewDto'];

/**
 * Rename and delete for a saved view the caller may change (their own personal views; shared ones
 * for admin_agent and global_admin, as the API decides). Deleting goes back to all tickets.
 */
export function ViewActions({ view }: { view: View }) {
  const { t } = useTranslation();
  const navigate = useNavigate({ from: '/' });
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteView();

  return (
    <div className="button-row view-actions">
      <Button className="button small" onPress={() => setRenaming(true)}>
        {t('views.rename')}
      </Button>
      <Button className="button small danger" onPress={() => setConfirming(true)}>
        {t('views.delete')}
      </Button>
      <ErrorMessage error={remove.error} />
      {renaming && <RenameViewDialog view={view} onClose={() => setRenaming(false)} />}
      <ConfirmDialog
        isOpen={confirming}
        onOpenChange={setConfirming}
        title={t('views.deleteTitle', { name: view.name })}
        confirmLabel={t('views.delete')}
        onConfirm={() => remove.mutate({ params: { path: { id: view.id } } }, { onSuccess: () => void navigate({ search: {} }) })}
      >
        <p>{t(view.kind === 'shared' ? 'views.deleteShared' : 'views.deletePersonal')}</p>
      </ConfirmDialog>
    </div>
  );
}

function RenameViewDialog({ view, onClose }: { view: View; onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(view.name);
  const rename = useRenameView();
  // The API's word on the name goes on the field; anything else (a refusal) under the form.
  const nameError = useFieldErrors(rename.error)('name', t('views.name'));

  return (
    <Modal isDismissable isOpen onOpenChange={(open) => !open && onClose()} className="modal">
      <Dialog className="dialog">
        <Heading slot="title">{t('views.renameTitle')}</Heading>
        <Form
          validationBehavior="aria"
          onSubmit={(event) => {
            event.preventDefault();
            rename.mutate({ params: { path: { id: view.id } }, body: { name: name.trim() } }, { onSuccess: onClose });
          }}
        >
          <TextField label={t('views.name')} value={name} onChange={setName} error={nameError} autoFocus />
          {!nameError && problemOf(rename.error) && <ErrorMessage error={rename.error} />}
          <div className="dialog-actions">
            <Button className="button" slot="close">
              {t('common.cancel')}
            </Button>
            <Button type="submit" className="button primary" isDisabled={rename.isPending}>
              {t('common.save')}
            </Button>
          </div>
        </Form>
      </Dialog>
    </Modal>
  );
}
