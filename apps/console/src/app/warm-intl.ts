import { prepareFormats } from '../ui/format';

/**
 * The renderer's first use of `Intl` loads ICU's locale data, whoever makes it: React Aria does at module load
 * (`useDefaultLocale`: `Intl.DateTimeFormat.supportedLocalesOf` and the browser language's text direction, through
 * `Intl.Locale`), and so does the first date or countdown a page formats. Done here, in a task of its own while the
 * page's chunks, strings and data are still on their way, that cost leaves the tasks that evaluate the page's chunk
 * and draw its first render (the critical path once everything is in), and the formatters those renders use are
 * already built.
 */
export function warmIntl(language: string): void {
  try {
    Intl.DateTimeFormat.supportedLocalesOf([navigator.language]);
    const locale = new Intl.Locale(navigator.language).maximize() as Intl.Locale & { getTextInfo?: () => unknown; textInfo?: unknown };
    void (typeof locale.getTextInfo === 'function' ? locale.getTextInfo() : locale.textInfo);
  } catch {
    // An odd navigator.language: React Aria falls back to en-US on its own; nothing to prepare.
  }
  prepareFormats(language);
}
