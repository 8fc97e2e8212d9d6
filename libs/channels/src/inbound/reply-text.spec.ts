import { replyText } from './reply-text';

describe('replyText', () => {
  it('drops the quoted history after "On … wrote:" and the signature', () => {
    const text = 'Thanks, it works now.\r\n\r\n-- \r\nMarta López\r\nContoso\r\n\r\nOn Mon, 1 Dec 2026 at 10:00, Helpdesk <support@partner.example> wrote:\r\n> Please try again';
    expect(replyText(text)).toBe('Thanks, it works now.');
  });

  it('drops Spanish and Outlook histories and >-quoted lines', () => {
    expect(replyText('Sigue fallando.\n\nEl lun, 1 dic 2026 a las 10:00, Soporte escribió:\n> Pruebe de nuevo')).toBe('Sigue fallando.');
    expect(replyText('Still broken.\n-----Original Message-----\nFrom: Helpdesk\nSent: Monday')).toBe('Still broken.');
    expect(replyText('Top line\n> quoted\nBottom line\n\nEnviado desde mi iPhone')).toBe('Top line\nBottom line');
  });

  it('keeps the whole text when nothing would be left', () => {
    expect(replyText('> only a quote')).toBe('> only a quote');
  });
});
