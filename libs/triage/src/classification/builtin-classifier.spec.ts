import { classify } from './builtin-classifier';

const ticket = (subject: string, description = '') => ({ subject, description });

describe('classify: category', () => {
  it('classifies a Spanish billing ticket and names the matched words', () => {
    expect(classify(ticket('Factura duplicada', 'Nos cobraron dos veces el pago de la factura de marzo.'))).toEqual({
      category: 'billing',
      categoryReason: 'matched "factura", "pago"',
      categoryWhy: { code: 'matched', params: { words: ['factura', 'pago'] } },
      product: 'other',
      productReason: 'no product words',
      productWhy: { code: 'no_product_words', params: {} },
      prioritySuggestion: null,
    });
  });

  it('classifies an English billing ticket, phrases included, in vocabulary order', () => {
    const result = classify(ticket('Refund for duplicate charge', 'We were charged twice on our Credit Card for the March invoice.'));
    expect(result.category).toBe('billing');
    expect(result.categoryReason).toBe('matched "invoice", "refund", "charge", "charged", "credit card"');
  });

  it('reads "facturación" (the listed word) whether or not it is accented', () => {
    expect(classify(ticket('Problema de FACTURACION')).categoryReason).toBe('matched "facturación"');
    expect(classify(ticket('Problema de facturación')).categoryReason).toBe('matched "facturación"');
  });

  it('classifies a Spanish subscription ticket', () => {
    const result = classify(ticket('Renovación de licencias', 'Queremos renovar la suscripción y añadir 5 licencias más.'));
    expect(result.category).toBe('subscription_management');
    expect(result.categoryReason).toBe('matched "licencias", "suscripción", "renovar", "renovación"');
  });

  it('classifies an English subscription ticket', () => {
    const result = classify(ticket('Need 10 more seats', 'Please upgrade our Microsoft 365 subscription for the new tenant.'));
    expect(result.category).toBe('subscription_management');
    expect(result.categoryReason).toBe('matched "seats", "subscription", "upgrade", "tenant"');
  });

  it.each([
    ['Refunds for two months', 'refunds'],
    ['Our payments failed', 'payments'],
    ['Unknown charges on our account', 'charges'],
    ['Update our credit cards', 'credit cards'],
    ['Solicitamos reembolsos', 'reembolsos'],
    ['Cambiar las tarjetas', 'tarjetas'],
  ])('reads the plural of a billing word as billing: "%s"', (subject, word) => {
    expect(classify(ticket(subject))).toMatchObject({ category: 'billing', categoryReason: `matched "${word}"` });
  });

  it.each([
    ['We need more licences', 'licences'],
    ['Licence key for Visio', 'licence'],
    ['Please process the cancellation', 'cancellation'],
  ])('reads British spelling and the English noun of a subscription word: "%s"', (subject, word) => {
    expect(classify(ticket(subject))).toMatchObject({ category: 'subscription_management', categoryReason: `matched "${word}"` });
  });

  it('falls back to technical when there are no billing or subscription words', () => {
    const result = classify(ticket('VM will not start', 'Our virtual machine in Azure fails to boot.'));
    expect(result.category).toBe('technical');
    expect(result.categoryReason).toBe('no billing or subscription words');
  });

  it('does not count words that merely contain a keyword', () => {
    const result = classify(ticket('Overcharged renewals', 'Prepayment, licensing and subscriber questions; recharge the tenants.'));
    expect(result.category).toBe('technical');
    expect(result.categoryReason).toBe('no billing or subscription words');
  });

  it('gives a tie between billing and subscription words to billing', () => {
    const result = classify(ticket('Invoice for the license'));
    expect(result.category).toBe('billing');
    expect(result.categoryReason).toBe('matched "invoice"; subscription words "license" (billing wins the tie)');
    expect(result.categoryWhy).toEqual({ code: 'matched_over', params: { words: ['invoice'], other: 'subscription', otherWords: ['license'], tie: true } });
  });

  it('picks subscription management when it has more hits than billing', () => {
    const result = classify(ticket('Cancel the subscription', 'and refund it'));
    expect(result.category).toBe('subscription_management');
    expect(result.categoryReason).toBe('matched "subscription", "cancel"; billing words "refund" (fewer)');
    expect(result.categoryWhy).toEqual({ code: 'matched_over', params: { words: ['subscription', 'cancel'], other: 'billing', otherWords: ['refund'], tie: false } });
  });

  it('picks billing when it has more hits than subscription', () => {
    const result = classify(ticket('Invoice and payment', 'for our license'));
    expect(result.category).toBe('billing');
    expect(result.categoryReason).toBe('matched "invoice", "payment"; subscription words "license" (fewer)');
  });

  it('counts each listed word once however often it occurs', () => {
    const result = classify(ticket('license license license', 'invoice, payment'));
    expect(result.category).toBe('billing');
    expect(result.categoryReason).toBe('matched "invoice", "payment"; subscription words "license" (fewer)');
  });
});

describe('classify: product', () => {
  it.each([
    ['Azure (English)', ticket('VM will not start', 'Our virtual machine in Azure fails to boot.'), 'azure', 'matched "azure", "vm", "virtual machine"'],
    ['Azure (Spanish)', ticket('La máquina virtual no arranca'), 'azure', 'matched "máquina virtual"'],
    ['Azure AD phrase', ticket('Azure AD sign-in', 'Entra ID conditional access'), 'azure', 'matched "azure", "entra", "azure ad"'],
    ['Azure storage phrases', ticket('Storage account quota', 'App Service cannot write blob'), 'azure', 'matched "blob", "storage account", "app service"'],
    ['Microsoft 365 (English)', ticket('Outlook and Teams not syncing'), 'microsoft_365', 'matched "teams", "outlook"'],
    ['Microsoft 365 (Spanish)', ticket('No puedo abrir SharePoint ni OneDrive'), 'microsoft_365', 'matched "sharepoint", "onedrive"'],
    ['Office 365 phrase and word', ticket('Office 365 activation'), 'microsoft_365', 'matched "office 365", "office"'],
    ['Dynamics 365 (English)', ticket('Dynamics 365 Business Central sync error'), 'dynamics_365', 'matched "dynamics", "dynamics 365", "business central"'],
    ['Dynamics 365 (Spanish)', ticket('Error en el CRM', 'al importar datos a Dataverse'), 'dynamics_365', 'matched "crm", "dataverse"'],
    ['no product', ticket('Printer jammed'), 'other', 'no product words'],
  ])('%s', (_label, input, product, reason) => {
    const result = classify(input);
    expect(result.product).toBe(product);
    expect(result.productReason).toBe(reason);
  });

  it('picks the product with the most hits', () => {
    const result = classify(ticket('Teams integration', 'with our Dynamics CRM and Dataverse'));
    expect(result.product).toBe('dynamics_365');
    expect(result.productReason).toBe('matched "dynamics", "crm", "dataverse"');
  });

  it('breaks a product tie in list order: azure, then microsoft_365, then dynamics_365', () => {
    expect(classify(ticket('Azure and Teams')).product).toBe('azure');
    expect(classify(ticket('Teams and CRM')).product).toBe('microsoft_365');
  });

  it('does not count words that merely contain a product keyword', () => {
    const result = classify(ticket('Storage accounting for blobs', 'VMware exchanges and dynamic teamsites'));
    expect(result.product).toBe('other');
    expect(result.productReason).toBe('no product words');
  });
});

describe('classify: priority suggestion', () => {
  it('suggests P2 for an outage that does not say everyone is affected (English)', () => {
    expect(classify(ticket('Portal not working', 'The admin portal is not working since this morning.')).prioritySuggestion).toEqual({
      priority: 'P2',
      reason: 'outage words "not working"',
      why: { code: 'outage', params: { words: ['not working'] } },
    });
  });

  it('suggests P2 for an outage in Spanish', () => {
    expect(classify(ticket('No podemos acceder al portal')).prioritySuggestion).toEqual({
      priority: 'P2',
      reason: 'outage words "no podemos acceder"',
      why: { code: 'outage', params: { words: ['no podemos acceder'] } },
    });
    expect(classify(ticket('Plataforma caída')).prioritySuggestion).toEqual({ priority: 'P2', reason: 'outage words "caida"', why: { code: 'outage', params: { words: ['caida'] } } });
  });

  it('suggests P1 when everyone is affected (Spanish), with the whole classification', () => {
    expect(classify(ticket('Exchange caído', 'Nadie puede enviar correo, toda la empresa está afectada.'))).toEqual({
      category: 'technical',
      categoryReason: 'no billing or subscription words',
      categoryWhy: { code: 'no_category_words', params: {} },
      product: 'microsoft_365',
      productReason: 'matched "exchange"',
      productWhy: { code: 'matched', params: { words: ['exchange'] } },
      prioritySuggestion: {
        priority: 'P1',
        reason: 'outage words "caído" affecting everyone: "nadie puede", "toda la empresa"',
        why: { code: 'outage_everyone', params: { words: ['caído'], everyone: ['nadie puede', 'toda la empresa'] } },
      },
    });
  });

  it('suggests P1 when everyone is affected (English)', () => {
    expect(classify(ticket('Outage', 'All users cannot access Teams')).prioritySuggestion).toEqual({
      priority: 'P1',
      reason: 'outage words "outage", "cannot access" affecting everyone: "all users"',
      why: { code: 'outage_everyone', params: { words: ['outage', 'cannot access'], everyone: ['all users'] } },
    });
    expect(classify(ticket('Site is down for the entire company')).prioritySuggestion).toEqual({
      priority: 'P1',
      reason: 'outage words "down" affecting everyone: "entire company"',
      why: { code: 'outage_everyone', params: { words: ['down'], everyone: ['entire company'] } },
    });
  });

  it('makes no suggestion when only everyone-words occur', () => {
    expect(classify(ticket('Send the invoice to everyone', 'todos los usuarios'))).toMatchObject({ prioritySuggestion: null });
  });

  it('makes no suggestion for words that merely contain an outage word', () => {
    expect(classify(ticket('Downgrade request', 'Scheduled shutdown; download the breakdown')).prioritySuggestion).toBeNull();
  });

  it('does not read a phrase across the end of the subject and the start of the description', () => {
    expect(classify(ticket('Portal not', 'working as expected after the update')).prioritySuggestion).toBeNull();
    expect(classify(ticket('Portal', 'not working')).prioritySuggestion).toEqual({ priority: 'P2', reason: 'outage words "not working"', why: { code: 'outage', params: { words: ['not working'] } } });
  });

  it('reads outage words beside punctuation, but not "no" and "funciona" split by it', () => {
    expect(classify(ticket('¿Está caído el portal?')).prioritySuggestion).toEqual({ priority: 'P2', reason: 'outage words "caído"', why: { code: 'outage', params: { words: ['caído'] } } });
    expect(classify(ticket('¿Problema? No. Funciona bien ahora.')).prioritySuggestion).toBeNull();
  });
});
