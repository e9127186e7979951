/**
 * The station UI's content security policy: only its own scripts, styles, images and fonts, nothing
 * remote, no inline code. Each shell adds where its images and calls come from (the Electron image
 * scheme; the browser host's WebSocket). src/renderer/index.html carries the same policy as a meta
 * tag (HTML cannot import this); where both apply, the stricter wins.
 */
export function contentSecurityPolicy(extra: { img?: readonly string[]; connect?: readonly string[]; noFraming?: boolean } = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    ["img-src 'self' data: blob:", ...(extra.img ?? [])].join(' '),
    "media-src 'self' blob: mediastream:",
    ["connect-src 'self'", ...(extra.connect ?? [])].join(' '),
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    ...(extra.noFraming ? ["frame-ancestors 'none'"] : []),
  ].join('; ');
}
