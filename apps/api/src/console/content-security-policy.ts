/**
 * The Content-Security-Policy sent with the console: scripts, styles and connections from its own
 * origin only, no inline script, no plugins, no framing. The console's build inlines nothing
 * (Vite emits every script and stylesheet as a file), and React sets styles through the CSSOM,
 * which the policy allows.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
