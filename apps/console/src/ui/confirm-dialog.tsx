import { Button, Dialog, Heading, Modal } from 'react-aria-components';
import { useTranslation } from 'react-i18next';

export function ConfirmDialog({ isOpen, onOpenChange, title, confirmLabel, onConfirm }: { isOpen: boolean; onOpenChange: (open: boolean) => void; title: string; confirmLabel: string; onConfirm: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal isDismissable isOpen={isOpen} onOpenChange={onOpenChange} className="modal">
      <Dialog className="dialog" role="alertdialog">
        <Heading slot="title">{title}</Heading>
        <div className="dialog-actions">
          <Button className="button" slot="close" autoFocus>
            {t('common.cancel')}
          </Button>
          <Button
            className="button danger"
            onPress={() => {
              onConfirm();
              onOpenChange(false);
            }}
          >
            {confirmLabel}
          </Button>
        </div>
      </Dialog>
    </Modal>
  );
}
