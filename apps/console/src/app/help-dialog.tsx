import { Button, Dialog, Heading, Modal } from 'react-aria-components';
import { useTranslation } from 'react-i18next';

const SHORTCUTS = [
  ['j', 'help.next'],
  ['k', 'help.previous'],
  ['Enter', 'help.open'],
  ['x', 'help.select'],
  ['r', 'help.reply'],
  ['i', 'help.internal'],
  ['/', 'help.search'],
  ['?', 'help.help'],
] as const;

export function HelpDialog({ isOpen, onOpenChange }: { isOpen: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <Modal isDismissable isOpen={isOpen} onOpenChange={onOpenChange} className="modal">
      <Dialog className="dialog">
        <Heading slot="title">{t('help.title')}</Heading>
        <dl className="shortcuts">
          {SHORTCUTS.map(([key, label]) => (
            <div key={key}>
              <dt>
                <kbd>{key}</kbd>
              </dt>
              <dd>{t(label)}</dd>
            </div>
          ))}
        </dl>
        <div className="dialog-actions">
          <Button className="button" slot="close" autoFocus>
            {t('common.close')}
          </Button>
        </div>
      </Dialog>
    </Modal>
  );
}
