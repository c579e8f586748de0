// The explorer page's behaviour: plain DOM, no framework, every text set with textContent
// (names on the ledger are untrusted), every request to this node's own /v1 API.

const REFRESH_MS = 5000;
const byId = (id) => document.getElementById(id);

/** The API's JSON, or an Error carrying the API's own message. */
async function getJson(url) {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw new Error(body?.error?.message ?? `the node answered ${response.status}`);
  return body;
}

function cell(content) {
  const td = document.createElement('td');
  td.append(content);
  return td;
}

function code(text) {
  const element = document.createElement('code');
  element.textContent = text;
  return element;
}

function time(ms) {
  const element = document.createElement('time');
  element.dateTime = new Date(ms).toISOString();
  element.textContent = element.dateTime.replace('T', ' ').replace(/\.\d+Z$/, '');
  return element;
}

function blockLink(height) {
  const link = document.createElement('a');
  link.href = `#block-${height}`;
  link.textContent = String(height);
  return link;
}

function row(...cells) {
  const tr = document.createElement('tr');
  tr.append(...cells.map(cell));
  return tr;
}

function say(id, text, isError = false) {
  const element = byId(id);
  element.textContent = text;
  element.classList.toggle('error', isError);
}

async function refreshBlocks() {
  try {
    const [status, page] = await Promise.all([getJson('/v1/status'), getJson('/v1/blocks?limit=10')]);
    byId('chain').textContent = `Chain ${status.chainId} at height ${status.height}, seen from node ${status.name}.`;
    byId('blocks').replaceChildren(...page.blocks.map((b) => row(blockLink(b.height), time(b.time), String(b.txCount), code(b.proposer), code(b.hash))));
    byId('blocks-updated').textContent = `Updated ${new Date().toLocaleTimeString()}.`;
  } catch (error) {
    byId('blocks-updated').textContent = `Could not refresh: ${error.message}`;
  }
}

async function showBlock(height) {
  byId('block-height').value = String(height);
  byId('block-table').hidden = true;
  say('block-message', `Loading block ${height}…`);
  try {
    const { transactions } = await getJson(`/v1/blocks/${height}/transactions`);
    byId('block-txs').replaceChildren(...transactions.map((tx) => row(String(tx.index), tx.kind, code(tx.sender), String(tx.seq), code(tx.id))));
    byId('block-caption').textContent = `Block ${height}: ${transactions.length} transaction${transactions.length === 1 ? '' : 's'}`;
    byId('block-table').hidden = transactions.length === 0;
    say('block-message', transactions.length === 0 ? `Block ${height} holds no transactions.` : '');
  } catch (error) {
    say('block-message', error.message, true);
  }
}

let olderAnchors = null;

async function showAnchors(url, append) {
  say('anchors-message', 'Loading anchors…');
  try {
    const page = await getJson(url);
    const rows = page.anchors.map((a) => row(blockLink(a.height), `${a.typeId} v${a.typeVersion}`, String(a.leafCount), code(a.root), code(a.txId)));
    if (append) byId('anchors').append(...rows);
    else byId('anchors').replaceChildren(...rows);
    const shown = byId('anchors').children.length;
    byId('anchors-caption').textContent = `${shown} newest anchor${shown === 1 ? '' : 's'} of ${page.issuerId}`;
    byId('anchors-table').hidden = shown === 0;
    olderAnchors = page.next;
    byId('anchors-more').hidden = olderAnchors === null;
    say('anchors-message', shown === 0 ? `${page.issuerId} has anchored nothing yet.` : '');
  } catch (error) {
    say('anchors-message', error.message, true);
  }
}

async function loadIssuers() {
  try {
    const { issuers } = await getJson('/v1/issuers');
    byId('issuer').replaceChildren(
      ...issuers.map((issuer) => {
        const option = document.createElement('option');
        option.value = issuer.issuerId;
        option.textContent = `${issuer.displayName} (${issuer.issuerId})${issuer.suspension ? ', suspended' : ''}`;
        return option;
      }),
    );
  } catch (error) {
    say('anchors-message', `Could not list the issuing departments: ${error.message}`, true);
  }
}

function followHash() {
  const match = /^#block-([1-9][0-9]{0,14})$/.exec(location.hash);
  if (!match) return;
  void showBlock(Number(match[1]));
  byId('block-heading').focus();
}

byId('block-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const target = `#block-${byId('block-height').value}`;
  if (location.hash === target) followHash();
  else location.hash = target;
});

byId('issuer-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void showAnchors(`/v1/issuers/${encodeURIComponent(byId('issuer').value)}/anchors?limit=20`, false);
});

byId('anchors-more').addEventListener('click', () => {
  if (olderAnchors) void showAnchors(olderAnchors, true);
});

let timer = setInterval(refreshBlocks, REFRESH_MS);
byId('auto-refresh').addEventListener('change', (event) => {
  clearInterval(timer);
  if (event.target.checked) timer = setInterval(refreshBlocks, REFRESH_MS);
});

window.addEventListener('hashchange', followHash);
void refreshBlocks();
void loadIssuers();
followHash();
