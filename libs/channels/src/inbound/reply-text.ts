/**
 * Lines that start the quoted history of a reply, in English and Spanish mail clients: Gmail and
 * Apple Mail ("On … wrote:", "El … escribió:"), Outlook ("-----Original Message-----", "From: …"
 * / "De: …" header blocks, a line of underscores).
 */
const HISTORY_STARTS: readonly RegExp[] = [
  /^On\b.*\bwrote:\s*$/i,
  /^El\b.*\bescribi[oó]:\s*$/i,
  /^-{2,}\s*(Original Message|Mensaje original|Forwarded message|Mensaje reenviado)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
  /^(From|De):\s.+$/i,
];

/** A signature starts at the "-- " delimiter (RFC 3676) or at a mobile client's sign-off. */
const SIGNATURE_STARTS: readonly RegExp[] = [/^-- ?$/, /^(Sent from my|Enviado desde mi)\b/i];

/**
 * The new text of an e-mail reply: what comes before the quoted history and the signature, with
 * `>`-quoted lines dropped and surrounding blank lines trimmed. The whole text when that would
 * leave nothing (a reply that is only a quote is still kept as the customer wrote it).
 */
export function replyText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (HISTORY_STARTS.some((re) => re.test(trimmed.trim())) || SIGNATURE_STARTS.some((re) => re.test(trimmed))) break;
    if (/^\s*>/.test(line)) continue;
    kept.push(trimmed);
  }
  const reply = kept.join('\n').trim();
  return reply.length > 0 ? reply : text.trim();
}
