import type { Check, CredentialSummary, Json, VerificationResult } from '@certledger/certs';

const MARKS: Record<Check['outcome'], string> = { pass: '✓', fail: '✗', skip: '–' };

function valueText(value: Json): string {
  if (Array.isArray(value)) return value.map((item) => valueText(item)).join(', ');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Shown fields as `path: value` lines, nested objects as dotted paths. */
export function fieldLines(fields: Record<string, Json>, prefix = ''): string[] {
  return Object.entries(fields).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? fieldLines(value, `${prefix}${key}.`) : [`${prefix}${key}: ${valueText(value)}`],
  );
}

function summaryLines(summary: CredentialSummary): string[] {
  const rows: [string, string][] = [
    ['department', `${summary.issuerName} (${summary.issuerId})${summary.issuerSuspended ? `, suspended since height ${summary.issuerSuspended.atHeight}: ${summary.issuerSuspended.reason}` : ''}`],
    ['type', `${summary.typeName} (${summary.typeId}@${summary.typeVersion})`],
    ['valid from', summary.validFrom],
    ['valid until', summary.validUntil ?? 'no end date'],
  ];
  const fields = fieldLines(summary.fields);
  fields.forEach((line, i) => rows.push([i === 0 ? 'fields' : '', line]));
  if (fields.length === 0) rows.push(['fields', 'none shown']);
  rows.push(['hidden fields', String(summary.hiddenFieldCount)]);
  if (summary.anchor) rows.push(['anchor', `height ${summary.anchor.height}, transaction ${summary.anchor.txId}`]);
  if (summary.revocation) rows.push(['revoked', `at height ${summary.revocation.height}: ${summary.revocation.reason}`]);
  return rows.map(([label, text]) => `  ${label.padEnd(14)}${text}`);
}

/** Every check with ✓ (passed), ✗ (failed) or – (not applicable), then what the certificate says, then the verdict. */
export function describeVerification(result: VerificationResult): string {
  const width = Math.max(...result.checks.map((check) => check.name.length));
  const checks = result.checks.map((check) => `${MARKS[check.outcome]} ${check.name.padEnd(width)}  ${check.message}`);
  const summary = result.summary ? ['', ...summaryLines(result.summary)] : [];
  const verdict = result.valid ? 'VALID' : `NOT VALID (${result.reason})`;
  return [...checks, ...summary, '', verdict].join('\n');
}
