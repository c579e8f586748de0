import { renderSVG } from 'uqr';
import { toHex } from '@certledger/codec';
import { leafFromDisclosure } from './leaf.js';
import { isJsonObject, type Json } from './json.js';
import { parseCertificate } from './parse-certificate.js';

export interface RenderOptions {
  /** The verifier page the QR code points at, e.g. https://ledger.example.gov/ */
  readonly verifierUrl: string;
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** Field names as people read them: `licenceNumber` → "Licence number". */
function label(key: string): string {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replaceAll('_', ' ').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function valueHtml(value: Json): string {
  if (Array.isArray(value)) return value.length === 0 ? '<em>none</em>' : value.map((v) => valueHtml(v)).join(', ');
  if (isJsonObject(value)) return rowsHtml(value, 'nested');
  if (value === null) return '<em>none</em>';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return escapeHtml(String(value));
}

function rowsHtml(fields: Record<string, Json>, className: string): string {
  const rows = Object.entries(fields).map(([key, value]) => `<tr><th scope="row">${escapeHtml(label(key))}</th><td>${valueHtml(value)}</td></tr>`);
  return `<table class="${className}">${rows.join('')}</table>`;
}

/** The link a QR code carries: the verifier page, told which batch root and leaf to look up. */
export function verifierLink(verifierUrl: string, root: Uint8Array, leaf: Uint8Array): string {
  const url = new URL(verifierUrl);
  url.hash = `root=${toHex(root)}&leaf=${toHex(leaf)}`;
  return url.toString();
}

const STYLE = `
body{font-family:system-ui,sans-serif;color:#111;max-width:48rem;margin:2rem auto;padding:0 1rem}
header{border-bottom:3px solid #1d4e89;margin-bottom:1rem}h1{margin:.2rem 0}
.issuer{font-size:1.1rem;color:#1d4e89}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ccc;vertical-align:top}
th{width:35%;font-weight:600}.nested th{width:40%;font-weight:500}
.hidden{color:#555;font-style:italic}.proof{display:flex;gap:1.5rem;align-items:center;margin-top:1.5rem}
.proof svg{width:9rem;height:9rem}.small{font-size:.8rem;color:#444;word-break:break-all}
@media print{body{margin:0}a{color:inherit;text-decoration:none}}`;

/**
 * A printable HTML page for a certificate: who issued it, its type and dates, the fields the
 * holder shows (a note for hidden ones), and a QR code linking to the verifier page.
 */
export function renderCertificateHtml(input: unknown, options: RenderOptions): string {
  const cert = parseCertificate(input);
  const leaf = leafFromDisclosure(cert.unsecured, cert.proof.salts, cert.proof.hiddenDigests);
  const link = leaf.ok ? verifierLink(options.verifierUrl, cert.anchorAction.root, leaf.leaf) : options.verifierUrl;
  const hidden = cert.proof.hiddenDigests.length;
  const anchored = cert.proof.anchor ? `Anchored on ledger "${escapeHtml(cert.proof.chainId)}" at height ${cert.proof.anchor.height}.` : 'Not yet anchored.';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(cert.typeName)} — ${escapeHtml(cert.issuerName)}</title><style>${STYLE}</style></head>
<body><header><div class="issuer">${escapeHtml(cert.issuerName)}</div><h1>${escapeHtml(cert.typeName)}</h1></header>
<main>
${rowsHtml(cert.subject, 'fields')}
${hidden > 0 ? `<p class="hidden">${hidden} field value${hidden === 1 ? ' is' : 's are'} hidden by the holder.</p>` : ''}
<table class="dates"><tr><th scope="row">Valid from</th><td>${escapeHtml(cert.validFrom)}</td></tr>
<tr><th scope="row">Valid until</th><td>${cert.validUntil ? escapeHtml(cert.validUntil) : '<em>no end date</em>'}</td></tr></table>
<section class="proof" aria-label="How to check this certificate">
<a href="${escapeHtml(link)}" aria-label="Open the verifier page for this certificate">${renderSVG(link, { ecc: 'M' })}</a>
<div><p>Scan the code or open <a href="${escapeHtml(options.verifierUrl)}">${escapeHtml(options.verifierUrl)}</a> and drop the certificate file to check it.</p>
<p class="small">${anchored} Certificate ${escapeHtml(cert.id)}${leaf.ok ? `, leaf ${toHex(leaf.leaf)}` : ''}.</p></div>
</section></main></body></html>
`;
}
