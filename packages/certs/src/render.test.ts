import { describe, expect, it } from 'vitest';
import { toHex } from '@certledger/codec';
import { discloseCertificate } from './disclose.js';
import { renderCertificateHtml } from './render.js';
import { SAMPLE_RECORDS, TestChain } from './test-support.js';

describe('renderCertificateHtml', () => {
  const chain = new TestChain();
  const { credentials, root, leaves } = chain.issue(SAMPLE_RECORDS);

  it('shows department, type, fields, dates and a QR code linking to the verifier page for this certificate', () => {
    const html = renderCertificateHtml(credentials[0], { verifierUrl: 'https://ledger.example.gov/' });
    expect(html).toContain('Department of Transport');
    expect(html).toContain('<h1>Driving licence</h1>');
    expect(html).toContain('<th scope="row">Licence number</th><td>AL123456</td>');
    expect(html).toContain('<th scope="row">Organ donor</th><td>Yes</td>');
    expect(html).toContain('2031-01-01T00:00:00Z');
    expect(html).toContain(`https://ledger.example.gov/#root=${toHex(root)}&amp;leaf=${toHex(leaves[0]!)}`);
    expect(html).toMatch(/<svg[^>]*>[\s\S]*<\/svg>/);
  });

  it('marks hidden fields and never prints them', () => {
    const html = renderCertificateHtml(discloseCertificate(credentials[0]!, ['address', 'points']), { verifierUrl: 'https://ledger.example.gov/' });
    expect(html).toContain('3 field values are hidden by the holder');
    expect(html).not.toContain('London');
  });

  it('escapes field text so a record cannot inject markup', () => {
    const { credentials: [evil] } = chain.issue([{ name: '<script>alert(1)</script>', licenceNumber: 'EV1L0001' }]);
    const html = renderCertificateHtml(evil, { verifierUrl: 'https://ledger.example.gov/' });
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
