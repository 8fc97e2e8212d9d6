import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { Button, Dialog, Heading, Modal } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useCapabilities } from '../../auth/session';
import { SelectField, TextField } from '../../ui/fields';
import { ErrorMessage } from '../../ui/feedback';
import { useSaveView } from '../hooks/use-views';
import { listQuery, type InboxFilters } from '../inbox-search';

type Visibility = 'personal' | 'shared';

/**
 * Saves the inbox's current filters, search and sort as a view: personal, or shared with every
 * agent for admin_agent and global_admin. The new view opens at once.
 */
export function SaveViewDialog({ filters, isOpen, onOpenChange }: { filters: InboxFilters; isOpen: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation();
  const { capabilities } = useCapabilities();
  const navigate = useNavigate({ from: '/' });
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('personal');
  const save = useSaveView();
  const { sort, ...filter } = listQuery(filters);

  const submit = () =>
    save.mutate(
      { body: { name, visibility, filter, ...(sort ? { sort } : {}) } },
      {
        onSuccess: (view) => {
          onOpenChange(false);
          setName('');
          void navigate({ search: { view: view.id } });
        },
      },
    );

  return (
    <Modal isDismissable isOpen={isOpen} onOpenChange={onOpenChange} className="modal">
      <Dialog className="dialog">
        <Heading slot="title">{t('views.saveTitle')}</Heading>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <TextField label={t('views.name')} value={name} onChange={setName} isRequired autoFocus />
          {capabilities.admin && (
            <SelectField
              label={t('views.visibility')}
              value={visibility}
              onChange={setVisibility}
              options={[
                { value: 'personal', label: t('views.kind.personal') },
                { value: 'shared', label: t('views.kind.shared') },
              ]}
            />
          )}
          <ErrorMessage error={save.error} />
          <div className="dialog-actions">
            <Button className="button" slot="close">
              {t('common.cancel')}
            </Button>
            <Button type="submit" className="button primary" isDisabled={save.isPending}>
              {t('common.save')}
            </Button>
          </div>
        </form>
      </Dialog>
    </Modal>
  );
}
