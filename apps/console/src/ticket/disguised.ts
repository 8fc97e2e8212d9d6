/**
 * Whether a stored file's content is not what its sender said it was (an HTML page named cat.png):
 * the API keeps and serves it as what it really is, and people should know why it will not open as
 * they expect. An unknown declaration (octet-stream) and one text type for another are no disguise.
 */
export function disguised(file: { status: string; contentType: string | null; declaredType: string | null }): boolean {
  if (file.status !== 'stored' || !file.contentType || !file.declaredType) return false;
  const declared = file.declaredType.split(';')[0].trim().toLowerCase();
  const actual = file.contentType.split(';')[0].trim().toLowerCase();
  if (declared === 'application/octet-stream' || declared === actual) return false;
  return !(declared.startsWith('text/') && actual.startsWith('text/'));
}
