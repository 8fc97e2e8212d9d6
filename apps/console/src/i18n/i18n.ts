import i18n, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The chosen language is a preference, not a secret: it may outlive the tab. */
const LANGUAGE_KEY = 'helpdesk.console.language';
/**
 * The same choice as a cookie, for the api's server render of the inbox (which cannot read the
 * browser's storage): it renders in the language this module will start in. Not HttpOnly (this
 * module writes it), sent to this origin only.
 */
export const LANGUAGE_COOKIE = 'helpdesk_console_language';
const inBrowser = typeof window !== 'undefined';

function rememberLanguage(language: string): void {
  localStorage.setItem(LANGUAGE_KEY, language);
  document.cookie = `${LANGUAGE_COOKIE}=${language}; Path=/; Max-Age=31536000; SameSite=Strict`;
}

function initialLanguage(): Language {
  // The server render picks its language per request (entry-server.tsx).
  if (!inBrowser) return 'en';
  const stored = localStorage.getItem(LANGUAGE_KEY);
  if (stored === 'es' || stored === 'en') return stored;
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

/** The language the console starts in (before any strings are loaded): what i18n.language will be. */
export const startLanguage: Language = initialLanguage();

/**
 * Each language's strings are a chunk of their own, fetched when that language is first used: the
 * first page carries one language, not both. `i18n.changeLanguage` loads the other before it
 * switches, so no screen ever shows keys.
 */
const resources: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language, _namespace, callback) {
    const loaded = language === 'es' ? import('./es.json') : import('./en.json');
    loaded.then(
      (module) => callback(null, module.default),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  },
};

/**
 * Resolves once the active language's strings are in; the app renders after that. Every key exists
 * in both languages (translations.spec.ts), so there is no fallback language to fetch besides.
 */
export const i18nReady = i18n
  .use(resources)
  .use(initReactI18next)
  .init({
    lng: startLanguage,
    supportedLngs: [...LANGUAGES],
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    react: { useSuspense: false },
  })
  .then(() => {
    if (!inBrowser) return;
    document.documentElement.lang = i18n.language;
    // A choice made before the cookie existed (or a browser's language) reaches the server render from the next load on.
    if (!document.cookie.includes(`${LANGUAGE_COOKIE}=${i18n.language}`)) rememberLanguage(i18n.language);
  });

i18n.on('languageChanged', (language) => {
  if (!inBrowser) return;
  document.documentElement.lang = language;
  rememberLanguage(language);
});

export default i18n;
