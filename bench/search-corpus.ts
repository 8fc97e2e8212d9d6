/**
 * Helpdesk text in Spanish and English for seeding a million tickets in SQL (INSERT … SELECT
 * generate_series): sentence templates with slots for products, features, people, places, error
 * codes and figures. Templates are picked with a skew (a few are very common, most are not) and
 * the slots spread thousands of words, names and codes, so words range from "in a quarter of all
 * tickets" to "in a handful": what a search over real tickets meets.
 */

const PRODUCTS = [
  'Azure', 'Microsoft 365', 'Exchange Online', 'Teams', 'SharePoint', 'OneDrive', 'Intune', 'Entra ID', 'Power BI',
  'Dynamics 365', 'Defender', 'Outlook', 'Windows 365', 'Azure Virtual Desktop', 'Power Automate', 'Business Central',
];

const FEATURES_EN = [
  'calendar sync', 'shared mailbox', 'distribution list', 'conditional access policy', 'guest access', 'retention policy',
  'backup job', 'virtual network', 'storage account', 'key vault', 'app registration', 'mail flow rule', 'spam filter',
  'license assignment', 'security group', 'meeting room', 'phone system', 'auto attendant', 'compliance report',
  'device enrollment', 'password reset', 'audit log', 'external sharing', 'data export', 'invoice download',
  'payment method', 'reserved instance', 'cost alert', 'tenant domain', 'DNS record', 'SSO login', 'VPN gateway',
  'load balancer', 'SQL database', 'web app', 'function app', 'recovery vault', 'sensitivity label', 'Power BI dashboard',
  'archive mailbox',
];
const FEATURES_ES = [
  'sincronización del calendario', 'buzón compartido', 'lista de distribución', 'directiva de acceso condicional',
  'acceso de invitados', 'directiva de retención', 'copia de seguridad', 'red virtual', 'cuenta de almacenamiento',
  'almacén de claves', 'registro de aplicación', 'regla de flujo de correo', 'filtro antispam', 'asignación de licencias',
  'grupo de seguridad', 'sala de reuniones', 'centralita', 'operadora automática', 'informe de cumplimiento',
  'inscripción de dispositivos', 'restablecimiento de contraseña', 'registro de auditoría', 'uso compartido externo',
  'exportación de datos', 'descarga de facturas', 'método de pago', 'instancia reservada', 'alerta de costes',
  'dominio del inquilino', 'registro DNS', 'inicio de sesión único', 'puerta de enlace VPN', 'equilibrador de carga',
  'base de datos SQL', 'aplicación web', 'aplicación de funciones', 'almacén de recuperación', 'etiqueta de confidencialidad',
  'panel de Power BI', 'buzón de archivo',
];

const FIRST_NAMES = [
  'Marta', 'Javier', 'Lucía', 'Sergio', 'Carmen', 'Pablo', 'Emma', 'Oliver', 'Sophie', 'James', 'Aisha', 'Noah', 'Íñigo',
  'Begoña', 'Chloé', 'Álvaro', 'Nuria', 'Raúl', 'Inés', 'Óscar', 'Rocío', 'Tomás', 'Ángela', 'Jesús', 'Amelia', 'Harry',
  'Grace', 'Liam', 'Zoe', 'Mateo', 'Valentina', 'Hugo', 'Irene', 'Adrián', 'Sofía', 'Daniel', 'Elena', 'George', 'Ruby',
  'Jack',
];
const LAST_NAMES = [
  'López', 'García', 'Fernández', 'Martínez', 'Smith', 'Johnson', 'Brown', 'Núñez', 'Muñoz', 'Wilson', 'Taylor', 'Ibáñez',
  'Sánchez', 'Pérez', 'Gómez', 'Díaz', 'Hernández', 'Jiménez', 'Ruiz', 'Álvarez', 'Romero', 'Navarro', 'Torres', 'Domínguez',
  'Vázquez', 'Ramos', 'Gil', 'Serrano', 'Blanco', 'Molina', 'Morales', 'Ortega', 'Delgado', 'Castro', 'Ortiz', 'Rubio',
  'Evans', 'Thomas', 'Roberts', 'Walker',
];
const PLACES = [
  'Madrid', 'Sevilla', 'Barcelona', 'Valencia', 'Bilbao', 'Málaga', 'Zaragoza', 'Córdoba', 'Granada', 'Alicante', 'Murcia',
  'Valladolid', 'Vigo', 'Gijón', 'León', 'Cádiz', 'Logroño', 'Pamplona', 'London', 'Manchester', 'Dublin', 'Lisbon',
  'Porto', 'Paris', 'Lyon', 'Berlin', 'Munich', 'Amsterdam', 'Brussels', 'Milan', 'Mexico City', 'Bogotá', 'Lima',
  'Santiago', 'Buenos Aires', 'Montevideo', 'Quito', 'Miami', 'Toronto', 'Boston',
];

/** {P} product, {F} feature, {N} a person, {C} a place, {E} an error code, {D} a figure. */
const SUBJECTS_EN = [
  'Cannot sign in to {P}', '{P}: error {E} since this morning', 'Invoice for {P} shows the wrong number of licences',
  'Please add {D} seats to our {P} subscription', '{F} not working for {N}', 'Urgent: {P} down in the {C} office',
  'Question about the renewal of {P}', 'Need a credit note for the {P} overage', '{P} admin portal returns error {E}',
  'MFA reset for {N}', 'How do we set up a {F}?', '{F} stopped after the last update', 'Slow {P} in {C}',
  'New starter {N} needs a {P} licence', 'Cancel {D} unused {P} licences', 'Billing address change for {P}',
  'Migration of the {F} to {P}', '{N} cannot open attachments in {P}', 'Renewal quote for {P} in {C}',
  'Duplicate charge on the {P} invoice',
];
const SUBJECTS_ES = [
  'No puedo iniciar sesión en {P}', '{P}: error {E} desde esta mañana', 'La factura de {P} tiene un importe incorrecto',
  'Ampliar la suscripción de {P} a {D} licencias', '{F} no funciona para {N}', 'Urgente: caída de {P} en la oficina de {C}',
  '¿Cuándo se renueva nuestro contrato de {P}?', 'Necesitamos un abono por el exceso de {P}', 'El portal de {P} devuelve el error {E}',
  'Restablecer el MFA de {N}', '¿Cómo configuramos {F}?', '{F} dejó de funcionar tras la última actualización',
  '{P} va muy lento en {C}', 'Alta de {N}: necesita una licencia de {P}', 'Dar de baja {D} licencias de {P} sin usar',
  'Cambio de dirección de facturación de {P}', 'Migración de {F} a {P}', '{N} no puede abrir adjuntos en {P}',
  'Presupuesto de renovación de {P} para {C}', 'Cargo duplicado en la factura de {P}',
];
const SENTENCES_EN = [
  'Since this morning nobody in accounting can open {P}.',
  'We already cleared the browser cache and tried in a private window, with the same result.',
  'The error {E} appears right after entering the password; the MFA prompt never shows up.',
  'This is blocking the month-end close, so we would appreciate a quick answer.',
  'Our reseller agreement says the licences should have been prorated, but the invoice charges the full month.',
  'The admin centre shows {D} assigned licences while we only bought {D}.',
  'The virtual machine stopped answering at 03:12 UTC and the boot diagnostics show a kernel panic.',
  'Could you confirm whether the renewal keeps the current price or moves to the new list price?',
  'We opened a similar case last quarter and it was solved by resetting the {F}, but that does not work now.',
  'Please call {N} back between 9 and 5.',
  'Three users in the {C} office are affected; the rest of the company works normally.',
  'We need this change before Friday because the new hires start on Monday.',
  '{N} reports that the {F} fails with {E}.',
  'The {F} was configured by our previous provider and nobody here knows the settings.',
  'After the update of {P} the {F} no longer syncs.',
  'Is there a way to export the {F} before we cancel?',
  'Our finance team needs the invoices of the last {D} months as PDF.',
  'The payment was made on the {D}th but the account still shows as overdue.',
  'We would like to move from monthly to annual billing for {P}.',
  'The {F} in {C} drops every few minutes.',
  'It started after we changed the DNS records of our domain.',
  'I attach the log with the correlation id of the failed request.',
  'The same problem happens on Windows and on Mac, in the browser and in the desktop app.',
  'Users get a blank page and then error {E}.',
  'Can you check whether our tenant is affected by the incident announced yesterday?',
  'The {P} subscription was suspended although the invoice was paid.',
  'We need {D} more licences for the summer interns.',
  'The Power BI report refresh fails every night since the gateway was moved.',
  'Please escalate to the vendor if you cannot solve it today.',
  'Thanks in advance for your help.',
];
const SENTENCES_ES = [
  'Desde esta mañana nadie del departamento de contabilidad puede abrir {P}.',
  'Ya hemos borrado la caché del navegador y probado en una ventana privada, con el mismo resultado.',
  'El error {E} aparece justo después de introducir la contraseña; nunca llega la petición de MFA.',
  'Esto bloquea el cierre de mes, así que agradeceríamos una respuesta rápida.',
  'Según nuestro contrato de distribuidor las licencias deberían prorratearse, pero la factura cobra el mes completo.',
  'El centro de administración muestra {D} licencias asignadas aunque solo compramos {D}.',
  'La máquina virtual dejó de responder a las 03:12 UTC y el diagnóstico de arranque muestra un kernel panic.',
  '¿Podéis confirmar si la renovación mantiene el precio actual o pasa a la nueva tarifa?',
  'Abrimos un caso parecido el trimestre pasado y se resolvió reiniciando la {F}, pero ahora no funciona.',
  'Por favor, llamad a {N} entre las 9:00 y las 18:00.',
  'Afecta a tres usuarios de la oficina de {C}; el resto de la empresa trabaja con normalidad.',
  'Necesitamos el cambio antes del viernes porque los nuevos empleados se incorporan el lunes.',
  '{N} nos dice que la {F} falla con el error {E}.',
  'La {F} la configuró nuestro proveedor anterior y aquí nadie conoce los ajustes.',
  'Tras la actualización de {P} la {F} ya no se sincroniza.',
  '¿Hay alguna forma de exportar la {F} antes de cancelar?',
  'Nuestro equipo de finanzas necesita las facturas de los últimos {D} meses en PDF.',
  'El pago se hizo el día {D} pero la cuenta sigue apareciendo como vencida.',
  'Queremos pasar de facturación mensual a anual en {P}.',
  'La {F} de {C} se corta cada pocos minutos.',
  'Empezó después de cambiar los registros DNS de nuestro dominio.',
  'Adjunto el registro con el identificador de correlación de la petición fallida.',
  'Pasa lo mismo en Windows y en Mac, en el navegador y en la aplicación de escritorio.',
  'Los usuarios ven una página en blanco y después el error {E}.',
  '¿Podéis comprobar si nuestro inquilino está afectado por la incidencia anunciada ayer?',
  'La suscripción de {P} se suspendió aunque la factura estaba pagada.',
  'Necesitamos {D} licencias más para los becarios de verano.',
  'La actualización del informe de Power BI falla cada noche desde que se movió la puerta de enlace.',
  'Por favor, escalad al fabricante si no podéis resolverlo hoy.',
  'Gracias de antemano por vuestra ayuda.',
];
const REPLIES_EN = [
  'Thanks, we are looking into it and will update you within the hour.',
  'Could you send us a screenshot of the error and the exact time it happened?',
  'We have reset the {F}; please try again and let us know.',
  'The credit note for {D} licences has been issued and will appear on the next invoice.',
  'It works now, thank you very much!',
  'Still failing with {E} for {N}.',
  'We escalated the case to the vendor; their reference is {E}.',
  'Please confirm that we can close this ticket.',
  'The licences were added; {N} can sign in now.',
  'We are waiting for your reply to continue.',
];
const REPLIES_ES = [
  'Gracias, lo estamos revisando y os actualizamos en menos de una hora.',
  '¿Podéis enviarnos una captura del error y la hora exacta en que ocurrió?',
  'Hemos reiniciado la {F}; probad de nuevo y nos decís.',
  'El abono por {D} licencias ya está emitido y aparecerá en la próxima factura.',
  '¡Ya funciona, muchas gracias!',
  'Sigue fallando con {E} para {N}.',
  'Hemos escalado el caso al fabricante; su referencia es {E}.',
  'Confirmad, por favor, que podemos cerrar este ticket.',
  'Ya están añadidas las licencias; {N} ya puede iniciar sesión.',
  'Quedamos a la espera de vuestra respuesta para continuar.',
];
const INTERNAL_EN = [
  'Checked the tenant: the {F} was disabled by the customer admin.',
  'Known issue with {P}, see the runbook; workaround applied.',
  'Customer is overdue on two invoices; check with billing before adding seats.',
  'Vendor case opened, reference {E}.',
  'Second time this month for this customer; consider a proactive review of the {F}.',
];
const INTERNAL_ES = [
  'Revisado el inquilino: el administrador del cliente desactivó la {F}.',
  'Incidencia conocida de {P}, ver el procedimiento; aplicada la solución temporal.',
  'El cliente tiene dos facturas vencidas; consultar con facturación antes de ampliar licencias.',
  'Abierto caso con el fabricante, referencia {E}.',
  'Segunda vez este mes para este cliente; conviene revisar la {F}.',
];

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const sqlArray = (items: readonly string[]) => `ARRAY[${items.map(sqlString).join(', ')}]`;

/** A random element of `items`, skewed towards the first ones when `skew` > 1 (Zipf-like). */
const pickSql = (items: readonly string[], skew = 1) =>
  `(${sqlArray(items)})[1 + floor(${items.length} * power(random(), ${skew}))::int]`;

/** The slots of a template filled in, each with its own random pick. */
function fillSql(template: string, spanish: boolean): string {
  const features = spanish ? FEATURES_ES : FEATURES_EN;
  return `replace(replace(replace(replace(replace(replace(${template},
      '{P}', ${pickSql(PRODUCTS, 1.6)}),
      '{F}', ${pickSql(features, 1.4)}),
      '{N}', ${pickSql(FIRST_NAMES)} || ' ' || ${pickSql(LAST_NAMES)}),
      '{C}', ${pickSql(PLACES, 1.5)}),
      '{E}', (${sqlArray(['AADSTS', '0x8', 'ERR-', 'E', 'HTTP '])})[1 + floor(random() * 5)::int] || (10000 + floor(random() * 90000)::int)),
      '{D}', (2 + floor(random() * 200)::int)::text)`;
}

/** `count` sentences of a bank (skewed picks), joined by spaces. `spanish` is an SQL boolean. */
function sentencesSql(en: readonly string[], es: readonly string[], count: string, spanish: string): string {
  // `s.i > 0` (always true) makes the aggregate the subquery's: over outer columns alone it would be the outer query's.
  return `(SELECT string_agg(CASE WHEN s.i > 0 AND ${spanish} THEN ${fillSql(pickSql(es, 1.3), true)} ELSE ${fillSql(pickSql(en, 1.3), false)} END, ' ')
             FROM generate_series(1, ${count}) AS s(i))`;
}

/** SQL for a subject (`spanish` an SQL boolean expression of the row). */
export const subjectSql = (spanish: string): string =>
  `left(CASE WHEN ${spanish} THEN ${fillSql(pickSql(SUBJECTS_ES, 1.2), true)} ELSE ${fillSql(pickSql(SUBJECTS_EN, 1.2), false)} END, 200)`;

/** SQL for a description of 1–2 sentences (half of them), 3–10 (most others) or 20–40 (a few). */
export const descriptionSql = (spanish: string, r: string): string =>
  sentencesSql(SENTENCES_EN, SENTENCES_ES, `(CASE WHEN ${r} < 0.5 THEN 1 + floor(${r} * 4) WHEN ${r} < 0.9 THEN 3 + floor((${r} - 0.5) * 20) ELSE 20 + floor((${r} - 0.9) * 200) END)::int`, spanish);

/** SQL for a comment body: a reply (public) or an internal note. */
export const commentSql = (spanish: string, internal: string): string =>
  `CASE WHEN ${internal} THEN ${sentencesSql(INTERNAL_EN, INTERNAL_ES, '1', spanish)} ELSE ${sentencesSql(REPLIES_EN, REPLIES_ES, '1 + floor(random() * 2)::int', spanish)} END`;

/**
 * Search terms by how common they are in the seeded text, per language: what the search bench
 * asks. One-word and two-word queries; "frequent" words are in a large share of all tickets.
 */
export const QUERIES = {
  en: {
    frequent: ['licences', 'error', 'invoice', 'users', 'outlook'],
    medium: ['mailbox', 'sharepoint', 'renewal', 'overdue', 'interns'],
    rare: ['Domínguez', 'auto attendant', 'Logroño', 'Montevideo', 'sensitivity'],
    twoWords: ['invoice licences', 'sign in', 'shared mailbox', 'error outlook', 'credit note', 'calendar sync', 'vpn gateway', 'power bi'],
  },
  es: {
    frequent: ['licencias', 'factura', 'usuarios', 'error', 'contraseña'],
    medium: ['buzón', 'facturación', 'renovación', 'becarios', 'vencida'],
    rare: ['Domínguez', 'operadora', 'Logroño', 'Montevideo', 'confidencialidad'],
    twoWords: ['factura licencias', 'iniciar sesion', 'buzon compartido', 'error outlook', 'abono exceso', 'sincronizacion calendario', 'puerta enlace', 'contraseña mfa'],
  },
} as const;
