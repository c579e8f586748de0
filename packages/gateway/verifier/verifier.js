import { CHECK_ORDER, connectLedger, verifyCertificate } from '/verifier/certs.js';

const LABELS = {
  format: 'File format',
  integrity: 'Fields unaltered',
  signature: 'Issuer signature',
  dataIntegrity: 'W3C Data Integrity proof',
  issuer: 'Issuing department',
  authorisation: 'Authorised for this type',
  anchor: 'Anchored on the ledger',
  revocation: 'Not revoked',
  validity: 'Within validity dates',
};
const MARKS = { pass: '✓', fail: '✗', skip: '–' };
const OUTCOME_WORDS = { pass: 'passed', fail: 'failed', skip: 'not checked' };
const MAX_FILE_BYTES = 1024 * 1024;

const $ = (id) => document.getElementById(id);
let ledger;

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function label(key) {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replaceAll('_', ' ').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function valueNode(value) {
  if (Array.isArray(value)) return document.createTextNode(value.length === 0 ? 'none' : value.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))).join(', '));
  if (value !== null && typeof value === 'object') return fieldTable(value);
  if (value === null) return document.createTextNode('none');
  if (typeof value === 'boolean') return document.createTextNode(value ? 'Yes' : 'No');
  return document.createTextNode(String(value));
}

function fieldTable(fields, table = element('table')) {
  table.replaceChildren();
  for (const [key, value] of Object.entries(fields)) {
    const row = element('tr');
    row.append(element('th', label(key), { scope: 'row' }));
    const cell = element('td');
    cell.append(valueNode(value));
    row.append(cell);
    table.append(row);
  }
  return table;
}

function showChecks(result) {
  const list = $('checks');
  list.replaceChildren();
  for (const name of CHECK_ORDER) {
    const check = result.checks.find((c) => c.name === name);
    if (!check) continue;
    const item = element('li', undefined, { 'data-check': name, 'data-outcome': check.outcome });
    item.append(element('span', MARKS[check.outcome], { class: 'mark', 'aria-hidden': 'true' }));
    item.append(element('strong', `${LABELS[name] ?? name}: `));
    item.append(document.createTextNode(`${OUTCOME_WORDS[check.outcome]} — ${check.message}`));
    list.append(item);
  }
}

function showSummary(summary) {
  const dl = $('summary');
  dl.replaceChildren();
  const rows = [
    ['Department', `${summary.issuerName} (${summary.issuerId})${summary.issuerSuspended ? ` — suspended since height ${summary.issuerSuspended.atHeight}: ${summary.issuerSuspended.reason}` : ''}`],
    ['Type', `${summary.typeName} (${summary.typeId} v${summary.typeVersion})`],
    ['Valid from', summary.validFrom],
    ['Valid until', summary.validUntil ?? 'no end date'],
    ['Anchored', summary.anchor ? `height ${summary.anchor.height}, transaction ${summary.anchor.txId}` : 'not found'],
    ['Certificate id', summary.id],
  ];
  for (const [term, description] of rows) dl.append(element('dt', term), element('dd', description));
  fieldTable(summary.fields, $('fields'));
  const note = $('hidden-note');
  note.hidden = summary.hiddenFieldCount === 0;
  note.textContent = `${summary.hiddenFieldCount} field value${summary.hiddenFieldCount === 1 ? ' is' : 's are'} hidden by the holder.`;
  $('details').hidden = false;
}

async function check(file) {
  const verdict = $('verdict');
  $('result').hidden = false;
  $('details').hidden = true;
  $('checks').replaceChildren();
  verdict.className = '';
  if (file.size > MAX_FILE_BYTES) {
    verdict.textContent = `Not valid: the file is larger than ${MAX_FILE_BYTES / 1024} KiB, so it is not a certificate`;
    verdict.className = 'invalid';
    return;
  }
  verdict.textContent = 'Checking…';
  try {
    ledger ??= await connectLedger(location.origin);
    // The bytes, not file.text(): that would turn bytes that are not UTF-8 into U+FFFD, which verification refuses to do.
    const result = await verifyCertificate(new Uint8Array(await file.arrayBuffer()), { now: Date.now(), ledger });
    showChecks(result);
    if (result.summary) showSummary(result.summary);
    verdict.textContent = result.valid ? 'Valid' : `Not valid: ${result.checks.find((c) => c.outcome === 'fail')?.message ?? result.reason}`;
    verdict.className = result.valid ? 'valid' : 'invalid';
  } catch (error) {
    ledger = undefined;
    verdict.textContent = `Could not check: ${error.message}`;
    verdict.className = 'invalid';
  }
}

/** A printed certificate's QR code opens this page with #root=…&leaf=…: show that batch's status. */
async function lookUpFromLink() {
  const params = new URLSearchParams(location.hash.slice(1));
  const root = params.get('root');
  const leaf = params.get('leaf');
  if (!root || !/^[0-9a-f]{64}$/.test(root) || (leaf && !/^[0-9a-f]{64}$/.test(leaf))) return;
  $('lookup').hidden = false;
  const text = $('lookup-text');
  text.textContent = 'Asking the ledger…';
  try {
    const anchor = await fetch(`/v1/anchors/${root}`);
    if (anchor.status === 404) {
      text.textContent = 'This batch is not on the ledger.';
      return;
    }
    const a = await anchor.json();
    const revocation = await (await fetch(`/v1/revocations/${root}${leaf ? `?leaf=${leaf}` : ''}`)).json();
    const state = revocation.revoked ? `REVOKED at height ${revocation.height}: ${revocation.reason}` : 'not revoked';
    text.textContent = `Issued by ${a.issuerId} as ${a.typeId} v${a.typeVersion}, anchored at height ${a.height}; ${state}. Drop the certificate file below to check its fields.`;
  } catch (error) {
    text.textContent = `Could not ask the ledger: ${error.message}`;
  }
}

const input = $('file-input');
input.addEventListener('change', () => input.files?.[0] && check(input.files[0]));
const zone = $('drop-zone');
zone.addEventListener('dragover', (event) => {
  event.preventDefault();
  zone.classList.add('dragging');
});
zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
zone.addEventListener('drop', (event) => {
  event.preventDefault();
  zone.classList.remove('dragging');
  const file = event.dataTransfer?.files?.[0];
  if (file) check(file);
});
window.addEventListener('hashchange', lookUpFromLink);
lookUpFromLink();
