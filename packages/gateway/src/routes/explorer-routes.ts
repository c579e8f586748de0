import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/** Nothing inline and nothing from elsewhere: the page runs only its own script and style files. */
export const EXPLORER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const files = [
  { url: '/explorer', file: 'index.html', type: 'text/html; charset=utf-8' },
  { url: '/explorer/explorer.js', file: 'explorer.js', type: 'text/javascript; charset=utf-8' },
  { url: '/explorer/explorer.css', file: 'explorer.css', type: 'text/css; charset=utf-8' },
] as const;

/** The explorer page: static files read once at start, served with their types and the CSP. */
export function explorerRoutes(app: FastifyInstance): void {
  for (const { url, file, type } of files) {
    const content = readFileSync(new URL(`../../explorer/${file}`, import.meta.url));
    app.get(url, { schema: { hide: true } }, async (_request, reply) =>
      reply.type(type).header('content-security-policy', EXPLORER_CSP).header('x-content-type-options', 'nosniff').header('cache-control', 'no-cache').send(content),
    );
  }
}
