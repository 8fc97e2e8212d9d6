import { prepareFormats } from '../ui/format';

/**
 * The renderer's first use of `Intl` loads ICU's data, whoever makes it (35–190 ms in a fresh renderer on this
 * machine under load; whatever comes after it costs 0.4–7 ms): the first date or countdown a page formats, or React
 * Aria at module load (`useDefaultLocale`: `Intl.DateTimeFormat.supportedLocalesOf` and the browser language's text
 * direction through `Intl.Locale`), in the ticket page's chunk. Done here, in a task of its own while the page's
 * chunks, strings and data are still on their way, that cost leaves the tasks that evaluate the page's chunk and draw
 * its first render, and the formatters those renders use are built. The formatters first (every page uses them);
 * React Aria's check is then under a millisecond, for the pages that load React Aria.
 */
export function warmIntl(language: string): void {
  prepareFormats(language);
  try {
    Intl.DateTimeFormat.supportedLocalesOf([navigator.language]);
    const locale = new Intl.Locale(navigator.language).maximize() as Intl.Locale & { getTextInfo?: () => unknown; textInfo?: unknown };
    void (typeof locale.getTextInfo === 'function' ? locale.getTextInfo() : locale.textInfo);
  } catch {
    // An odd navigator.language: React Aria falls back to en-US on its own; nothing to prepare.
  }
}
