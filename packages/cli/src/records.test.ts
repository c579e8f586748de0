import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { JsonObject } from '@certledger/certs';
import { afterAll, describe, expect, it } from 'vitest';
import { cellValue } from './cell-values.js';
import { parseCsvHeader, parseJsonRecords, readCsvRecords, readRecordFile } from './records.js';
import { DRIVING_LICENCE_SCHEMA } from './sample-schemas.js';

const schema = structuredClone(DRIVING_LICENCE_SCHEMA) as unknown as JsonObject;
const csv = (text: string) => readCsvRecords(Readable.from([text]), schema, 'records.csv');
const HEADER = 'name,dateOfBirth,licenceNumber,categories,address.street,address.city,organDonor,penaltyPoints';
const dir = mkdtempSync(join(tmpdir(), 'certledger-records-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CSV records', () => {
  it('builds nested objects from dotted headers and converts cells to the schema types', async () => {
    const records = await csv(`${HEADER}\nAnn Example,1990-04-01,ANN12345,B;BE,1 High St,London,true,3\n`);
    expect(records).toEqual([
      {
        name: 'Ann Example',
        dateOfBirth: '1990-04-01',
        licenceNumber: 'ANN12345',
        categories: ['B', 'BE'],
        address: { street: '1 High St', city: 'London' },
        organDonor: true,
        penaltyPoints: 3,
      },
    ]);
  });

  it('leaves out empty cells, trims cells, and reads quoted commas, quotes and line breaks', async () => {
    const records = await csv(`\uFEFF${HEADER}\n"Doe, ""Jo""",1990-04-01, JOE12345 ,B,,"Leeds",,\n\n"Two\nLines",1990-04-01,TWO12345,A,,York,FALSE,0\n`);
    expect(records).toEqual([
      { name: 'Doe, "Jo"', dateOfBirth: '1990-04-01', licenceNumber: 'JOE12345', categories: ['B'], address: { city: 'Leeds' } },
      { name: 'Two\nLines', dateOfBirth: '1990-04-01', licenceNumber: 'TWO12345', categories: ['A'], address: { city: 'York' }, organDonor: false, penaltyPoints: 0 },
    ]);
  });

  it('names every bad row by its line number and issues nothing', async () => {
    const text = [
      HEADER,
      'Ann,1990-04-01,ANN12345,B,,London,true,3',
      'Bob,1990-04-01,ANN12345,B,,London,true,many',
      'Cy,1990-04-01,lower,B,,London,true,3',
      'Di,1990-04-01,DIDIDIDI,B,,London,perhaps,3',
      'Ed,1990-04-01,EDEDEDED,B,1 Road,,true,3',
    ].join('\n');
    const error = await csv(text).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^records\.csv has 4 bad records, nothing was issued: /);
    expect(message).toContain('line 3: column "penaltyPoints": "many" is not a whole number');
    expect(message).toContain('line 4: /licenceNumber must match pattern');
    expect(message).toContain('line 5: column "organDonor": "perhaps" is not true or false');
    expect(message).toContain("line 6: /address must have required property 'city'");
    expect(message).not.toContain('line 2');
  });

  it('counts bad rows beyond the first five', async () => {
    const rows = Array.from({ length: 8 }, (_, i) => `P${i},1990-04-01,PPPPPP${i},B,,London,true,-1`);
    await expect(csv([HEADER, ...rows].join('\n'))).rejects.toThrow(/has 8 bad records.*line 6: .*; and 3 more$/);
  });

  it('refuses rows with more cells than the header, naming the line', async () => {
    await expect(csv(`${HEADER}\nAnn,1990-04-01,ANN12345,B,,London,true,3,extra\n`)).rejects.toThrow(/^records\.csv: .*line 2/);
  });

  it('refuses a header with an empty name, a repeated name, or a field that both is a value and holds fields', () => {
    expect(() => parseCsvHeader(['name', 'address..city'], 'f.csv')).toThrow('f.csv: header column 2 "address..city" is not a field name');
    expect(() => parseCsvHeader(['name', ''], 'f.csv')).toThrow('header column 2');
    expect(() => parseCsvHeader(['name', 'name'], 'f.csv')).toThrow('the header names "name" twice');
    expect(() => parseCsvHeader(['address', 'address.city'], 'f.csv')).toThrow('both "address" and "address.city"');
    expect(parseCsvHeader(['a', 'b.c.d'], 'f.csv')).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('refuses header names that would reach the object prototype, naming the column', async () => {
    await expect(csv('name,__proto__.isAdmin\nAnn,true\n')).rejects.toThrow('records.csv: header column 2 "__proto__.isAdmin" uses "__proto__", which is not allowed as a field name');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(() => parseCsvHeader(['constructor.prototype.x'], 'f.csv')).toThrow('header column 1 "constructor.prototype.x" uses "constructor"');
    expect(() => parseCsvHeader(['address.prototype'], 'f.csv')).toThrow('uses "prototype"');
  });

  it('names the column the schema does not know', async () => {
    await expect(csv(`${HEADER},nickname\nAnn,1990-04-01,ANN12345,B,,London,true,3,Annie\n`)).rejects.toThrow(
      'line 2: (record) must NOT have additional properties: "nickname" is not a field of the schema',
    );
    await expect(csv(`${HEADER},address.zip\nAnn,1990-04-01,ANN12345,B,,London,true,3,N1\n`)).rejects.toThrow(
      'line 2: /address must NOT have additional properties: "zip" is not a field of the schema',
    );
  });

  it('refuses a file with no header or no rows', async () => {
    await expect(csv('')).rejects.toThrow('records.csv is empty');
    await expect(csv(`${HEADER}\n`)).rejects.toThrow('records.csv holds no records');
  });
});

describe('cell values', () => {
  it('follow the field schema: integers, numbers, booleans, null, lists and text', () => {
    expect(cellValue('42', { type: 'integer' })).toEqual({ ok: true, value: 42 });
    expect(cellValue('4.5', { type: 'integer' })).toEqual({ ok: false, expected: 'a whole number' });
    expect(cellValue('9007199254740993', { type: 'integer' })).toMatchObject({ ok: false });
    expect(cellValue('-1.5e3', { type: 'number' })).toEqual({ ok: true, value: -1500 });
    expect(cellValue('1,5', { type: 'number' })).toMatchObject({ ok: false });
    expect(cellValue('TRUE', { type: 'boolean' })).toEqual({ ok: true, value: true });
    expect(cellValue('null', { type: ['integer', 'null'] })).toEqual({ ok: true, value: null });
    expect(cellValue('1; 2', { type: 'array', items: { type: 'integer' } })).toEqual({ ok: true, value: [1, 2] });
    expect(cellValue('1;x', { type: 'array', items: { type: 'integer' } })).toMatchObject({ ok: false });
    expect(cellValue('{"a":1}', { type: 'object' })).toEqual({ ok: true, value: { a: 1 } });
    expect(cellValue('007', { type: 'string' })).toEqual({ ok: true, value: '007' });
    expect(cellValue('12', { type: ['integer', 'string'] })).toEqual({ ok: true, value: 12 });
    expect(cellValue('twelve', { type: ['integer', 'string'] })).toEqual({ ok: true, value: 'twelve' });
  });

  it('take the type of enum values when the schema gives no type, and stay text otherwise', () => {
    expect(cellValue('2', { enum: [1, 2, 3] })).toEqual({ ok: true, value: 2 });
    expect(cellValue('adult', { enum: ['adult', 'children'] })).toEqual({ ok: true, value: 'adult' });
    expect(cellValue('12', undefined)).toEqual({ ok: true, value: '12' });
  });
});

describe('JSON records', () => {
  const ann = { name: 'Ann', dateOfBirth: '1990-04-01', licenceNumber: 'ANN12345', categories: ['B'] };

  it('reads an array of objects or NDJSON, values as typed', () => {
    expect(parseJsonRecords(JSON.stringify([ann, ann]), schema, 'r.json')).toEqual([ann, ann]);
    expect(parseJsonRecords(`${JSON.stringify(ann)}\n\n${JSON.stringify(ann)}\r\n`, schema, 'r.ndjson')).toEqual([ann, ann]);
  });

  it('names bad records by position in an array and by line in NDJSON', () => {
    expect(() => parseJsonRecords(JSON.stringify([ann, 5, { ...ann, penaltyPoints: '3' }]), schema, 'r.json')).toThrow(
      'r.json has 2 bad records, nothing was issued: record 2: a record must be a JSON object; record 3: /penaltyPoints must be integer',
    );
    expect(() => parseJsonRecords(`${JSON.stringify(ann)}\n{"name":`, schema, 'r.ndjson')).toThrow(/line 2: not valid JSON/);
    expect(() => parseJsonRecords('[1,', schema, 'r.json')).toThrow(/^r\.json is not valid JSON/);
  });

  it('refuses a field written twice in one record (JSON.parse would keep the last silently), in an array and in NDJSON', () => {
    const twice = JSON.stringify(ann).replace('{', '{"name":"Mallory",');
    expect(() => parseJsonRecords(`[${JSON.stringify(ann)},${twice}]`, schema, 'r.json')).toThrow('r.json: duplicate key "name" at /1/name; a record names each field once');
    expect(() => parseJsonRecords(`${JSON.stringify(ann)}\n${twice}`, schema, 'r.ndjson')).toThrow(/line 2: duplicate key "name" at \/name; a record names each field once/);
  });

  it('refuses prototype field names anywhere in a record, and names unknown fields', () => {
    const polluting = `[{"name":"Ann","__proto__":{"isAdmin":true}},{"name":"Bo","address":{"constructor":{"prototype":{"x":1}}}}]`;
    expect(() => parseJsonRecords(polluting, schema, 'r.json')).toThrow(
      'r.json has 2 bad records, nothing was issued: record 1: /__proto__: "__proto__" is not allowed as a field name; record 2: /address/constructor: "constructor" is not allowed as a field name',
    );
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(() => parseJsonRecords(JSON.stringify([{ ...ann, nickname: 'A', alias: 'B' }]), schema, 'r.json')).toThrow(
      'record 1: (record) must NOT have additional properties: "nickname" is not a field of the schema',
    );
  });

  it('picks the reader by file extension', async () => {
    const file = join(dir, 'records.json');
    writeFileSync(file, JSON.stringify([ann]));
    expect(await readRecordFile(file, schema)).toEqual([ann]);
    const csvFile = join(dir, 'records.csv');
    writeFileSync(csvFile, 'name,dateOfBirth,licenceNumber,categories\nAnn,1990-04-01,ANN12345,B\n');
    expect(await readRecordFile(csvFile, schema)).toEqual([ann]);
    await expect(readRecordFile(join(dir, 'records.txt'), schema)).rejects.toThrow(/cannot read/);
    writeFileSync(join(dir, 'records.txt'), '');
    await expect(readRecordFile(join(dir, 'records.txt'), schema)).rejects.toThrow('expected a .csv, .json, .ndjson or .jsonl file');
  });
});
