import type { ReactNode } from 'react';
import { Button, Dialog, Heading, Modal } from 'react-aria-components';
import { useTranslation } from 'react-i18next';

/** Asks before something that cannot be undone; `children` says what will happen. */
export function ConfirmDialog({
  isOpen,
  onOpenChange,
  title,
  confirmLabel,
  onConfirm,
  children,
}: {
  isOpen: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  confirmLabel: string;
  onConfirm: () => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal isDismissable isOpen={isOpen} onOpenChange={onOpenChange} className="modal">
      <Dialog className="dialog" role="alertdialog">
        <Heading slot="title">{title}</Heading>
        {children}
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
